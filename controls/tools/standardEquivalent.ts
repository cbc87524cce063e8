/**
 * For the size comparison in issue 7: the same control built as a *standard* control would be, with React,
 * ReactDOM and the Fluent modules it uses bundled (esbuild, minified, production React). The virtual control's
 * bundle.js is then compared with it.
 */
import { buildSync } from "esbuild";
import { join } from "node:path";

export function standardEquivalentBytes(control: string): number {
  const result = buildSync({
    stdin: {
      contents: `export { ${control} } from "./${control}/index"; export { render, unmountComponentAtNode } from "react-dom";`,
      resolveDir: join(__dirname, ".."),
      loader: "ts",
    },
    bundle: true,
    minify: true,
    write: false,
    format: "iife",
    target: "es2020",
    jsx: "transform",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  return result.outputFiles[0]?.contents.length ?? 0;
}
