/**
 * `@peculiar/x509` loads `tsyringe`, which refuses to load without the `reflect-metadata` polyfill.
 * This installs the few `Reflect` metadata functions it uses (define/get/getOwn/has/metadata) when
 * none are present. Import it before `@peculiar/x509` (ESM evaluates imports in order).
 */
type Store = Map<PropertyKey | undefined, Map<unknown, unknown>>;

const stores = new WeakMap<object, Store>();

function own(
  target: object,
  prop: PropertyKey | undefined,
  create: boolean,
): Map<unknown, unknown> | undefined {
  let store = stores.get(target);
  if (!store) {
    if (!create) return undefined;
    store = new Map();
    stores.set(target, store);
  }
  let byKey = store.get(prop);
  if (!byKey && create) {
    byKey = new Map();
    store.set(prop, byKey);
  }
  return byKey;
}

function getMetadata(key: unknown, target: object, prop?: PropertyKey): unknown {
  for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
    const byKey = own(t, prop, false);
    if (byKey?.has(key)) return byKey.get(key);
  }
  return undefined;
}

const api = {
  defineMetadata(key: unknown, value: unknown, target: object, prop?: PropertyKey): void {
    own(target, prop, true)!.set(key, value);
  },
  getOwnMetadata(key: unknown, target: object, prop?: PropertyKey): unknown {
    return own(target, prop, false)?.get(key);
  },
  getMetadata,
  hasOwnMetadata(key: unknown, target: object, prop?: PropertyKey): boolean {
    return own(target, prop, false)?.has(key) ?? false;
  },
  hasMetadata(key: unknown, target: object, prop?: PropertyKey): boolean {
    return getMetadata(key, target, prop) !== undefined;
  },
  metadata(key: unknown, value: unknown) {
    return (target: object, prop?: PropertyKey): void => api.defineMetadata(key, value, target, prop);
  },
};

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== "function") {
  for (const [name, fn] of Object.entries(api)) reflect[name] = fn;
}
