/**
 * Stands in for `@vue/devtools-api` in production builds. vue-router imports it at module level and
 * only calls it when devtools are on (never in production), but the package's module-level code keeps
 * all of devtools-kit (≈ 45 KB gzipped) in the bundle. The dev server uses the real one.
 */
export function setupDevtoolsPlugin(): void {}
