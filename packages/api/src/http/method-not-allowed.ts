/** A route as Hono lists it in `app.routes`. */
interface RouteEntry {
  method: string;
  path: string;
}

/** `/v1/orders/:id` (optionally `:id{regex}`) → a regular expression for a whole request path. */
function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      const param = /^:[^{]+(?:\{(.+)\})?$/.exec(segment);
      if (param) return param[1] ? `(?:${param[1]})` : '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * The methods the app answers on a path, derived from its own routes (no list
 * kept by hand): for 405 METHOD_NOT_ALLOWED and its Allow header. Middleware
 * (method ALL) does not count; a GET route also answers HEAD.
 */
export function allowedMethodsOf(routes: readonly RouteEntry[]): (path: string) => string[] {
  let patterns: { method: string; pattern: RegExp }[] | undefined;
  return (path) => {
    // Built on first use: by then every router is mounted.
    patterns ??= routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => ({ method: route.method, pattern: pathPattern(route.path) }));
    const methods = new Set(patterns.filter((route) => route.pattern.test(path)).map((route) => route.method));
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}
