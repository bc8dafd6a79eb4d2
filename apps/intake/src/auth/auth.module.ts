import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { SecurityController } from './security.controller.js';
import { SignInLimits } from './sign-in-limits.js';

@Module({ imports: [DirectoryModule], controllers: [AuthController, SecurityController], providers: [AuthService, SignInLimits] })
export class AuthModule {}
