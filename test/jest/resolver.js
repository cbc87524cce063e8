// Jest runs CommonJS and refuses packages marked "type": "module", which Node 20.19+ itself loads through
// require(esm). light-my-request (fastify's inject, used by the Azure Functions adapter) requires the ESM-only
// cookie@2; only that import is redirected, to a CommonJS build of the same file (lightMyRequestCookie.js).
const path = require("node:path");

module.exports = (request, options) => {
  if (request === "cookie" && options.basedir.includes(`${path.sep}light-my-request${path.sep}`)) {
    return path.join(__dirname, "lightMyRequestCookie.js");
  }
  return options.defaultResolver(request, options);
};
