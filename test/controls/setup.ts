// jsdom has no ResizeObserver, and componentframework-mock constructs one for every control.
class ResizeObserverStub {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
(globalThis as { ResizeObserver?: unknown }).ResizeObserver ??= ResizeObserverStub;

// componentframework-mock prints an advertising banner through console.info for every generator.
const info = console.info.bind(console);
console.info = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].includes("Shko Online")) return;
  info(...args);
};

// Fluent's icon font is not registered in jsdom (the platform registers it); its warnings are noise here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require("@fluentui/react/lib/Styling") as typeof import("@fluentui/react/lib/Styling")).setIconOptions({
  disableWarnings: true,
});
