import type { ControlManifest } from "./controlManifest";

/**
 * The platform libraries a virtual control declares (React 16.14.0, Fluent 8.x), loaded from the sandbox's
 * copy of node_modules and exposed under the globals the built bundles import from (`Reactv16`,
 * `FluentUIReactv81211` for Fluent 8.121.1), as model-driven apps provide them. Nothing comes from a CDN.
 */

const VENDOR = { react: "/vendor/react.js", reactDom: "/vendor/react-dom.js", fluent: "/vendor/fluent.js" };

export function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = false;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`Could not load ${src}.`));
    document.head.append(script);
  });
}

type Globals = Record<string, unknown>;

let loading: Promise<void> | null = null;

/** React, ReactDOM and Fluent, once per page. */
export function loadVendorLibraries(): Promise<void> {
  loading ??= (async () => {
    const g = window as unknown as Globals;
    if (!g.React) await loadScript(VENDOR.react);
    if (!g.ReactDOM) await loadScript(VENDOR.reactDom);
    if (!g.FluentUIReact) await loadScript(VENDOR.fluent);
  })();
  return loading;
}

/** The global a bundle expects for a platform library of the manifest. */
export function platformGlobalName(library: { name: string; version: string }): string {
  if (library.name === "React") return `Reactv${library.version.split(".")[0] ?? ""}`;
  if (library.name === "Fluent") return `FluentUIReactv${library.version.replace(/\./g, "")}`;
  throw new Error(`Unknown platform library ${library.name} ${library.version}.`);
}

export async function providePlatformLibraries(manifest: ControlManifest): Promise<void> {
  await loadVendorLibraries();
  const g = window as unknown as Globals;
  for (const library of manifest.platformLibraries) {
    const name = platformGlobalName(library);
    const value = library.name === "React" ? g.React : g.FluentUIReact;
    if (!value) throw new Error(`${library.name} did not load.`);
    if (library.name === "React" && (g.React as { version?: string }).version !== library.version) {
      console.warn(
        `The control wants React ${library.version}; the sandbox has ${String((g.React as { version?: string }).version)}.`,
      );
    }
    g[name] = value;
  }
}
