import { parseControlManifest, parseResx, type ControlManifest } from "./controlManifest";
import { buildContext, buildParameters, type BoundColumn, type ContextEnvironment } from "./pcfContext";
import { loadScript, providePlatformLibraries } from "./platformLibraries";

/**
 * Loads a built control (its ControlManifest.xml, platform libraries, bundle.js and the resx of the user's
 * language) and runs it as a model-driven form does: init once, updateView on every change (the returned
 * React element rendered with the platform's ReactDOM), notifyOutputChanged → getOutputs → the bound
 * column, destroy on unload.
 */

interface ReactControl {
  init(context: unknown, notifyOutputChanged: () => void, state: unknown, container: HTMLElement): void;
  updateView(context: unknown): unknown;
  getOutputs?(): Record<string, unknown>;
  destroy(): void;
}

type ControlConstructor = new () => ReactControl;

const registry = new Map<string, ControlConstructor>();

function installRegistry(): void {
  const g = window as unknown as { ComponentFramework?: { registerControl?: unknown } };
  g.ComponentFramework ??= {};
  g.ComponentFramework.registerControl = (name: string, ctor: ControlConstructor) => registry.set(name, ctor);
}

export interface LoadedControl {
  name: string;
  manifest: ControlManifest;
  ctor: ControlConstructor;
  strings: Map<string, string>;
}

/** `baseUrl` is the control's built folder, e.g. /controls/SyncToggle/. */
export async function loadControl(baseUrl: string, lcid: number): Promise<LoadedControl> {
  installRegistry();
  const manifestResponse = await fetch(`${baseUrl}ControlManifest.xml`);
  if (!manifestResponse.ok) throw new Error(`${baseUrl}ControlManifest.xml: HTTP ${manifestResponse.status}.`);
  const manifest = parseControlManifest(await manifestResponse.text());
  const fullName = `${manifest.namespace}.${manifest.constructorName}`;
  await providePlatformLibraries(manifest);
  if (!registry.has(fullName)) await loadScript(`${baseUrl}bundle.js`);
  const ctor = registry.get(fullName);
  if (!ctor) throw new Error(`${baseUrl}bundle.js did not register ${fullName}.`);
  // The user's language, else the first resx (the platform falls back to the base language).
  const resxPath = manifest.resx.get(lcid) ?? manifest.resx.get(1033) ?? [...manifest.resx.values()][0];
  let strings = new Map<string, string>();
  if (resxPath) {
    const resx = await fetch(`${baseUrl}${resxPath}`);
    if (!resx.ok) throw new Error(`${baseUrl}${resxPath}: HTTP ${resx.status}.`);
    strings = parseResx(await resx.text());
  }
  return { name: fullName, manifest, ctor, strings };
}

export interface MountOptions {
  control: LoadedControl;
  container: HTMLElement;
  bound: Record<string, BoundColumn & { set?: (value: unknown) => void }>;
  inputs?: Record<string, string | number>;
  environment: Omit<ContextEnvironment, "strings" | "requestRender">;
}

export class HostedControl {
  private readonly instance: ReactControl;
  private destroyed = false;
  private resizeObserver: ResizeObserver | null = null;

  constructor(private readonly options: MountOptions) {
    this.instance = new options.control.ctor();
    const container = options.container;
    this.instance.init(this.context([]), () => this.outputsChanged(), {}, container);
    if ((container as HTMLElement & { trackResize?: boolean }).trackResize) {
      this.resizeObserver = new ResizeObserver(() => this.render(["layout"]));
      this.resizeObserver.observe(container);
    }
    this.render([]);
  }

  private context(updated: string[]): unknown {
    const environment: ContextEnvironment = {
      ...this.options.environment,
      strings: this.options.control.strings,
      requestRender: () => this.render([]),
    };
    const parameters = buildParameters(
      this.options.control.manifest.properties,
      this.options.bound,
      this.options.inputs ?? {},
    );
    return buildContext(environment, parameters, this.options.container, updated);
  }

  /** updateView with the current values; the element it returns is rendered by the platform's ReactDOM. */
  render(updatedProperties: string[]): void {
    if (this.destroyed) return;
    const element = this.instance.updateView(this.context(updatedProperties));
    const reactDom = (window as unknown as { ReactDOM: { render(el: unknown, c: HTMLElement): void } }).ReactDOM;
    reactDom.render(element, this.options.container);
  }

  private outputsChanged(): void {
    const outputs = this.instance.getOutputs?.() ?? {};
    for (const [name, value] of Object.entries(outputs)) {
      const column = this.options.bound[name];
      if (!column?.set) throw new Error(`The control set output ${name}, which is not a bound property on this form.`);
      column.set(value);
    }
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.resizeObserver?.disconnect();
    this.instance.destroy();
    const reactDom = (window as unknown as { ReactDOM: { unmountComponentAtNode(c: HTMLElement): void } }).ReactDOM;
    reactDom.unmountComponentAtNode(this.options.container);
  }
}
