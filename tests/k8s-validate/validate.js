// Validates every YAML document in the files given against the Kubernetes API schema of its
// kind (kubernetes-models' generated validators, no network). Prints one line per document:
// "ok FILE KIND NAME" or "invalid FILE KIND NAME: reason"; exits 1 when any is invalid.
const fs = require("fs");
const yaml = require("js-yaml");
const kinds = {
  "apps/v1/Deployment": () => require("kubernetes-models/apps/v1/Deployment").Deployment,
  "batch/v1/CronJob": () => require("kubernetes-models/batch/v1/CronJob").CronJob,
};
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, "utf8"))) {
    if (doc === null || doc === undefined) continue;
    const key = `${doc.apiVersion}/${doc.kind}`;
    const name = doc.metadata && doc.metadata.name;
    const model = kinds[key];
    if (!model) { console.log(`invalid ${file} ${key} ${name}: no validator for this kind`); failed++; continue; }
    try {
      const Model = model();
      new Model(doc).validate();
      console.log(`ok ${file} ${doc.kind} ${name}`);
    } catch (e) {
      console.log(`invalid ${file} ${doc.kind} ${name}: ${e.message}`); failed++;
    }
  }
}
process.exit(failed ? 1 : 0);
