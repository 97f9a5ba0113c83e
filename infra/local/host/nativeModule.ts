/**
 * Node's own `Module` class. Test runners (jest) hand code a subclass of it as `node:module`
 * whose `createRequire` loads through their sandbox and whose static fields are copies, so a
 * `_resolveFilename` hook set on it would never be seen by Node. Walking up to the base class
 * gets the real loader, in a plain process and under jest alike.
 */
import Module from "node:module";

export interface NativeModuleClass {
  new (id: string): Module;
  createRequire(filename: string): NodeJS.Require;
  _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
  _cache: Record<string, Module | undefined>;
}

function realModule(candidate: unknown): NativeModuleClass {
  let current = candidate as NativeModuleClass;
  for (;;) {
    const parent = Object.getPrototypeOf(current) as unknown;
    if (typeof parent !== "function" || parent === Function.prototype) return current;
    if (typeof (parent as Partial<NativeModuleClass>)._resolveFilename !== "function")
      return current;
    current = parent as NativeModuleClass;
  }
}

export const NativeModule: NativeModuleClass = realModule(Module);
