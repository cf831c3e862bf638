// Places a browser entry built outside cargo-leptos (the fair tablet's module) in the site
// folder as cargo-leptos places the main one: each file named by a hash of its content
// (`stem.<hash>.ext`, 22 characters of base64url SHA-256, like cargo-leptos's names), with
// brotli (quality 11) and gzip (level 9) copies beside it for the server to send as they are.
// Earlier builds' files of the same stem are removed first.
//
//   node scripts/site-entry.mjs <pkg-dir> <stem> <file.js> <file.wasm>
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [pkg, stem, ...files] = process.argv.slice(2);
if (!pkg || !stem || files.length === 0) {
  console.error("usage: node scripts/site-entry.mjs <pkg-dir> <stem> <file>...");
  process.exit(2);
}
const ours = new RegExp(`^${stem}\\.[A-Za-z0-9_-]{22}\\.(js|wasm)(\\.br|\\.gz)?$`);
for (const old of readdirSync(pkg).filter((n) => ours.test(n))) {
  rmSync(join(pkg, old));
}
for (const file of files) {
  const content = readFileSync(file);
  const hash = createHash("sha256").update(content).digest("base64url").slice(0, 22);
  const name = `${stem}.${hash}${extname(file)}`;
  writeFileSync(join(pkg, name), content);
  writeFileSync(
    join(pkg, `${name}.br`),
    brotliCompressSync(content, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
    }),
  );
  writeFileSync(join(pkg, `${name}.gz`), gzipSync(content, { level: 9 }));
  console.log(`${basename(file)} -> ${name}`);
}
