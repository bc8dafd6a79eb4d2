import type { AttachedFile, RevisionSnapshot } from './revision.js';

/** One attached file, its hash made of `sha` repeated. */
export const file = (kind: string, sha: string, filename = `${kind}.pdf`): AttachedFile => ({ kind, filename, sha256: sha.repeat(64).slice(0, 64) });
export const boundary = { east: '东至S228省道', south: '南至松源溪', west: '西至山体', north: '北至龙丽温高速' };

/** A zone plan as workflow keeps it from `submission.submitted`: no planned investment, no phone. */
export const plan: RevisionSnapshot = {
  fields: {
    title: '浙江遂昌经济开发区',
    content: {
      blocks: [
        { name: '司前区块', areaKm2: 4, boundary },
        { name: '上江区块', areaKm2: 8.5, boundary },
      ],
      leadingIndustries: ['金属制品', '特色农产品加工'],
      landUseConformity: '符合遂昌县国土空间总体规划',
      planEiaReviewRef: '丽环建〔2021〕8号（示例）',
      plannedInvestmentYi: null,
      pairedZoneCode: 'keqiao',
      contact: { name: '张三', email: 'zhang@suichang.example' },
    },
  },
  attachments: [file('application_letter', 'a'), file('feasibility_report', 'b'), file('land_use_plan', 'c')],
};
