/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test", "<rootDir>/domain"],
  testMatch: ["**/*.test.ts"],
  transform: {
    // Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles.
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
  moduleNameMapper: {
    "^adaptivecards$": "<rootDir>/node_modules/adaptivecards/dist/adaptivecards.min.js",
  },
  testTimeout: 60000,
};
