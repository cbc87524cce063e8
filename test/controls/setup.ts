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
