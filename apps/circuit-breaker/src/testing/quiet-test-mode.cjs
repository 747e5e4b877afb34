// Drops @azure/functions' "test mode" warnings (registrations are skipped outside the runtime).
const warn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && /test mode|Failed to detect the Azure Functions runtime/.test(args[0])) return;
  warn(...args);
};
