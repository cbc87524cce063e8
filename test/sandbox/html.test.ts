import { escapeHtml, jsonForScript } from "./pages/html";

describe("page markup from data", () => {
  it("escapes everything that could open markup or an attribute", () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;",
    );
    expect(escapeHtml(null)).toBe("");
  });

  it("embeds JSON that cannot close its script element and still parses back", () => {
    const value = { name: "</script><script>alert(1)</script>", line: "a\u2028b" };
    const text = jsonForScript(value);
    expect(text).not.toContain("</script>");
    expect(JSON.parse(text)).toEqual(value);
  });
});
