import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { toInstanceResponse, type InstanceResponse } from './dto/instance.response.js';
import { InstancesService } from './instances.service.js';

@Controller('instances')
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @Get(':id')
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<InstanceResponse> {
    return toInstanceResponse(await this.instances.get(id));
  }

  /** The instance's recorded events, oldest first. */
  @Get(':id/events')
  async events(@Param('id', new ParseUUIDPipe()) id: string): Promise<{ seq: number; type: string; at: string; data: object }[]> {
    await this.instances.get(id);
    return (await this.instances.events(id)).map((e) => ({ seq: e.seq, type: e.type, at: e.at.toISOString(), data: e.data }));
  }
}
