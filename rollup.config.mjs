// Builds the guest bundles (dist/miou.js, dist/miou.min.js: IIFE scripts for a bare
// QuickJS context) and the ESM build (dist/esm/index.js). Node-side code is built by
// tsc (tsconfig.node.json), declarations by tsc (tsconfig.types.json).
import esbuild, { minify } from "rollup-plugin-esbuild";

const typescript = () => esbuild({ target: "es2022", tsconfig: "tsconfig.guest.json" });

// Any warning (an unresolved import, an export lost in an IIFE, a circular import)
// fails the build: in a bare QuickJS context it would only show up at run time.
const onwarn = (warning) => {
  throw new Error(`rollup: ${warning.code}: ${warning.message}`);
};

/** Fails the build if a script chunk still imports something: QuickJS runs it as a global script. */
const selfContained = {
  name: "self-contained",
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type === "chunk" && (chunk.imports.length > 0 || chunk.dynamicImports.length > 0)) {
        this.error(`${chunk.fileName} imports ${[...chunk.imports, ...chunk.dynamicImports].join(", ")}`);
      }
    }
  },
};

/** dist/esm/index.d.ts: tsc writes the declarations with the source layout, under dist/esm/platform/. */
const typesEntry = {
  name: "types-entry",
  generateBundle() {
    this.emitFile({ type: "asset", fileName: "index.d.ts", source: 'export * from "./platform/index.js";\n' });
  },
};

export default [
  {
    // The entry assigns globalThis.Miou itself, so the IIFE needs no name.
    input: "platform/bundle.ts",
    onwarn,
    plugins: [typescript()],
    output: [
      { file: "dist/miou.js", format: "iife", plugins: [selfContained] },
      {
        file: "dist/miou.min.js",
        format: "iife",
        // Error names are string literals in the source, so renaming classes is safe.
        plugins: [minify({ target: "es2022" }), selfContained],
      },
    ],
  },
  {
    input: "platform/index.ts",
    onwarn,
    plugins: [typescript()],
    output: { file: "dist/esm/index.js", format: "es", plugins: [typesEntry] },
  },
];
