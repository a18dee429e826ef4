// End-to-end tests start the built apps as real processes: build first when sources changed.
const { buildIfStale } = require('../scripts/build');

module.exports = async () => {
  await buildIfStale();
};
