import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The instance's recorded domain events, in order: the state can be rebuilt from them.
 * The approval-engine issue turns this into the hash-chained audit trail.
 */
@Entity({ name: 'instance_events' })
export class InstanceEventRecord {
  @PrimaryColumn({ name: 'instance_id', type: 'uuid' })
  instanceId!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'jsonb' })
  data!: object;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
