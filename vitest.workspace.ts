/** The test projects: every package and every example. */
export default ["packages/*", "examples/*"]
