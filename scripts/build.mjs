// `npm run build`: tsc compiles src/ and migrations/ into dist/ (dist/src, dist/migrations), then writes
// dist/main.js, the production entry point (`node dist/main.js`), and a stamp that says what the build was made from.
// Plain Node, no dependencies but the TypeScript compiler.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
mkdirSync('dist', { recursive: true });
writeFileSync('dist/main.js', "// The production entry point: the compiled src/main.ts.\nimport './src/main.js';\n");
writeFileSync('dist/.built', `${new Date().toISOString()}\n`);
