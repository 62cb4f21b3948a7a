/**
 * The two size-limit plugins bench/size.ts runs. They ship no types; size-limit's API declares
 * its plugins as functions, so they are typed as such here.
 */
declare module "@size-limit/esbuild" {
  const plugin: (...args: unknown[]) => unknown;
  export default plugin;
}
declare module "@size-limit/file" {
  const plugin: (...args: unknown[]) => unknown;
  export default plugin;
}
