/** writes docs/config.md and docs/config.schema.json from the configuration schema (`npm run docs:config`) */
import { writeFileSync } from 'node:fs';
import { configJsonSchema, configMarkdown } from '../src/app/config-docs.js';

writeFileSync('docs/config.md', configMarkdown());
writeFileSync('docs/config.schema.json', `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log('wrote docs/config.md and docs/config.schema.json');
