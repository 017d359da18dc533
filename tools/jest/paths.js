// Maps the @thihanh/* aliases of tsconfig.base.json to their sources, so tsconfig stays the only list.
const path = require('node:path');
const { compilerOptions } = require('../../tsconfig.base.json');

function pathsToModuleNameMapper() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = path.join(__dirname, '..', '..', target);
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
