// The package version, written into the bundles by esbuild (esbuild.mjs `define`); "0.0.0-source" when the
// sources run unbundled (tests through tsx).
declare const __WTL_VERSION__: string | undefined;

export const VERSION: string = typeof __WTL_VERSION__ === "string" ? __WTL_VERSION__ : "0.0.0-source";
