import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, CurrentUser, type Principal } from '@shanhai/platform';
import { AdminOnly } from './admin-only.js';
import { CreateUserRequest, ListUsersQuery, newReviewerExample, updateUserExamples, UpdateUserRequest } from './dto/user.request.js';
import { toUserResponse, UserListResponse, UserResponse } from './dto/user.response.js';
import { UsersService } from './users.service.js';

const SCOPE = 'Each role needs exactly its own scope, and it must be in the directory: `county` for an applicant, `organisation` for a reviewer, `zone` for a stakeholder, none for an admin.';

/** The people who sign in, maintained by admins. No response carries a password or its hash. */
@ApiTags('directory')
@AdminOnly()
@Controller('directory/users')
export class DirectoryUsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'The accounts, by username' })
  @ApiOkResponse({ type: UserListResponse })
  @ApiProblemResponses({ status: 400, description: '`limit` or `offset` is not valid (`VALIDATION_FAILED`).' })
  async list(@Query() query: ListUsersQuery): Promise<UserListResponse> {
    const { items, total } = await this.users.list(query.limit ?? 50, query.offset ?? 0);
    return { items: items.map(toUserResponse), total };
  }

  @Post()
  @ApiOperation({ summary: 'Create an account', description: `${SCOPE} The password is stored as a bcrypt hash.` })
  @ApiBody({ type: CreateUserRequest, examples: { reviewer: { summary: 'A second reviewer for 丽水市商务局', value: newReviewerExample } } })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiProblemResponses(
    { status: 400, description: `A field is not valid or unknown, or the scope is wrong (\`VALIDATION_FAILED\`): every problem is listed in \`errors\`. ${SCOPE}` },
    { status: 409, description: 'The username is taken.', example: { type: 'https://shanhai.dev/problems/username-taken', title: 'Username taken', status: 409, code: 'USERNAME_TAKEN', detail: 'the username lishui-reviewer-2 is taken' } },
  )
  async create(@Body() body: CreateUserRequest): Promise<UserResponse> {
    return toUserResponse(await this.users.create(body));
  }

  @Patch(':id')
  @ApiParam({ name: 'id', description: 'The user id.', format: 'uuid', example: '5b0e8f5e-2f4d-4c8a-9a57-1d2c3b4a5f60' })
  @ApiOperation({
    summary: 'Change an account',
    description:
      'Only the fields sent change. Sending `role` or a scope field re-checks the scope: the role’s own field is kept unless sent, the others are cleared. ' +
      '`active: false` makes login and refresh fail and revokes the user’s refresh tokens, as a new `password` does. You cannot deactivate yourself or change your own role.',
  })
  @ApiBody({ type: UpdateUserRequest, examples: updateUserExamples })
  @ApiOkResponse({ type: UserResponse })
  @ApiProblemResponses(
    { status: 400, description: `The id is not a UUID, or a field is not valid or unknown, or the scope is wrong, or you deactivate yourself (\`VALIDATION_FAILED\`). ${SCOPE}` },
    { status: 404, description: 'No user has this id (`NOT_FOUND`).' },
  )
  async update(@CurrentUser() actor: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateUserRequest): Promise<UserResponse> {
    return toUserResponse(await this.users.update(actor, id, body));
  }
}
