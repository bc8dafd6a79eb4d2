import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';

@Module({ imports: [DirectoryModule], controllers: [AuthController], providers: [AuthService] })
export class AuthModule {}
