import { compareRoutes, compileRoute } from "./routeTemplate";

describe("compileRoute", () => {
  it("matches literals case-insensitively and extracts parameters", () => {
    expect(compileRoute("orders/{id}/cancel").match("/Orders/42/CANCEL")).toEqual({ id: "42" });
    expect(compileRoute("orders/{id}/cancel").match("/orders/42")).toBeUndefined();
  });

  it("handles optional and default parameters", () => {
    expect(compileRoute("orders/{id?}").match("/orders")).toEqual({});
    expect(compileRoute("orders/{page=1}").match("/orders")).toEqual({ page: "1" });
  });

  it("checks constraints", () => {
    const route = compileRoute("n/{v:int:min(10)}");
    expect(route.match("/n/12")).toEqual({ v: "12" });
    expect(route.match("/n/9")).toBeUndefined();
    expect(
      compileRoute("g/{id:guid}").match("/g/9b2f6c1e-1f7a-4c8e-9a51-2d1b8d7e0c11"),
    ).toBeDefined();
    expect(compileRoute("r/{s:regex(^ab+$)}").match("/r/abbb")).toEqual({ s: "abbb" });
  });

  it("parses parameters inside a segment", () => {
    expect(compileRoute("files/{name}.{ext}").match("/files/report.pdf")).toEqual({
      name: "report",
      ext: "pdf",
    });
  });

  it("rejects a catch-all that is not last", () => {
    expect(() => compileRoute("{*rest}/x")).toThrow(/catch-all/);
  });
});

describe("compareRoutes", () => {
  it("orders literal before constrained before plain before catch-all", () => {
    const routes = ["items/{*rest}", "items/{id}", "items/{id:int}", "items/special"].map(
      compileRoute,
    );
    expect(routes.sort(compareRoutes).map((r) => r.template)).toEqual([
      "items/special",
      "items/{id:int}",
      "items/{id}",
      "items/{*rest}",
    ]);
  });
});
