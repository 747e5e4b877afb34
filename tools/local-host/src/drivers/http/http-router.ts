import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthLevel } from './host-keys';
import { parseRouteTemplate, type RouteTemplate } from './route-template';

export interface HttpRouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** The whole body; undefined for a route that streams it (`streamBody`). */
  body?: Buffer;
  /** Request body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT), for a route that reads the body itself. */
  maxBodyBytes: number;
}

export interface HttpRoute {
  functionName: string;
  template: RouteTemplate;
  /** Upper-case methods; empty = all. */
  methods: string[];
  authLevel: AuthLevel;
  /** The route reads the request body as a stream (app.setup({ enableHttpStream: true })). */
  streamBody?: boolean;
  handle(request: HttpRouteRequest): Promise<void>;
}

/** The HTTP functions' route table (below the route prefix). */
export class HttpRouter {
  private readonly routes: HttpRoute[] = [];

  add(route: Omit<HttpRoute, 'template'> & { route: string }): () => void {
    const entry: HttpRoute = { ...route, template: parseRouteTemplate(route.route) };
    this.routes.push(entry);
    return () => {
      const index = this.routes.indexOf(entry);
      if (index >= 0) this.routes.splice(index, 1);
    };
  }

  /** First route whose template and method match; `methodMismatch` when only the path matched. */
  find(path: string, method: string): { route: HttpRoute; params: Record<string, string> } | { methodMismatch: true } | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const params = route.template.match(path);
      if (!params) continue;
      pathMatched = true;
      if (route.methods.length === 0 || route.methods.includes(method.toUpperCase())) return { route, params };
    }
    return pathMatched ? { methodMismatch: true } : undefined;
  }
}
