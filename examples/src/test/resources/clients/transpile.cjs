// Strips the types of a TypeScript file with the TypeScript compiler (no type check), writing
// an ES module: node transpile.cjs <typescript module dir> <in.ts> <out.mjs>
const [, , tsDir, input, output] = process.argv;
const ts = require(tsDir);
const fs = require("fs");
const js = ts.transpileModule(fs.readFileSync(input, "utf8"), {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
}).outputText;
fs.writeFileSync(output, js);
