import type { OrganisationKind } from '@shanhai/domain';
import pg from 'pg';

/** The organisations workflow's specs name, each with a demo mailbox, as intake's seed would publish them. */
const organisation = (code: string, name: string, kind: OrganisationKind, cityCode: string | null = null) => ({ code, name, kind, email: `${code}@shanhai.example`, cityCode });

const organisations = [
  // Lishui is the city of aSubmissionSummary(); Wenzhou's bureau is where specs reassign a task to.
  organisation('lishui-commerce', '丽水市商务局', 'city_commerce_bureau', 'lishui'),
  organisation('wenzhou-commerce', '温州市商务局', 'city_commerce_bureau', 'wenzhou'),
  organisation('zj-commerce', '浙江省商务厅', 'province_commerce'),
  organisation('zj-commerce-office', '浙江省商务厅办公室', 'province_commerce_office'),
  organisation('zj-nr', '浙江省自然资源厅', 'consulted_department'),
  organisation('zj-drc', '浙江省发展和改革委员会', 'consulted_department'),
  organisation('zj-eco', '浙江省生态环境厅', 'consulted_department'),
  organisation('zj-gov', '浙江省人民政府', 'province_government'),
  organisation('zj-gov-office', '浙江省人民政府办公厅', 'province_government_office'),
];

/**
 * What intake's seed publishes, as far as the specs need it, written straight into a test
 * database's directory replica at version 1. Specs that need another organisation send the
 * `directory.organisation_changed` message, as intake would.
 */
export async function seedDirectoryReplica(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const o of organisations) {
      await client.query(
        'INSERT INTO directory_organisations (code, name, kind, email, city_code, version) VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT (code) DO NOTHING',
        [o.code, o.name, o.kind, o.email, o.cityCode],
      );
    }
  } finally {
    await client.end();
  }
}
