import { DEFAULT_START_OPTIONS, parseStartOptions } from "./startOptions";

describe("npm start flags", () => {
  it("keeps the documented defaults", () => {
    expect(parseStartOptions([])).toEqual(DEFAULT_START_OPTIONS);
  });

  it("reads every port flag and --fresh", () => {
    expect(
      parseStartOptions([
        "--port",
        "8000",
        "--pc-port",
        "0",
        "--dataverse-port",
        "9102",
        "--proxy-port",
        "9100",
        "--fresh",
      ]),
    ).toEqual({ webPort: 8000, pcPort: 0, dataversePort: 9102, proxyPort: 9100, fresh: true });
  });

  it("refuses a bad port or an unknown flag with the usage", () => {
    expect(() => parseStartOptions(["--port", "70000"])).toThrow(
      /--port must be a port number from 0 to 65535, got '70000'/,
    );
    expect(() => parseStartOptions(["--port"])).toThrow(/got ''/);
    expect(() => parseStartOptions(["--verbose"])).toThrow(/Unknown argument '--verbose'.\nusage: npm start/);
  });
});
