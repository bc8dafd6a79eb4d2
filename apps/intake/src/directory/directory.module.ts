import { Module } from '@nestjs/common';
import { DirectoryAdminController } from './directory-admin.controller.js';
import { DirectoryAdminService } from './directory-admin.service.js';
import { DirectoryPublisher } from './directory-publisher.js';
import { DirectoryUsersController } from './directory-users.controller.js';
import { DirectoryController } from './directory.controller.js';
import { DirectoryService } from './directory.service.js';
import { UsersService } from './users.service.js';

@Module({
  controllers: [DirectoryController, DirectoryAdminController, DirectoryUsersController],
  providers: [DirectoryService, DirectoryAdminService, DirectoryPublisher, UsersService],
  exports: [DirectoryService, UsersService],
})
export class DirectoryModule {}
