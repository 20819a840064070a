import type { FastifyInstance } from 'fastify';
import { messages } from '../../i18n/index.js';
import { updateOwnProfile } from '../../operations/account-operations.js';
import { readProfileForm } from '../../operations/profile-form.js';
import { PROFILE_PATH } from '../../views/account/profile-section.js';
import { accountDeps } from './account-deps.js';
import { sendAccountPage } from './account-page.js';
import { acceptAccountForm, backToAccount } from './account-session.js';

/** POST /account/profile: the editable claims (operations/profile-form.ts), audited as user.updated. */
export async function profileRoutes(app: FastifyInstance) {
  const deps = accountDeps(app);
  app.post<{ Body: Record<string, unknown> }>(PROFILE_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const actor = await acceptAccountForm(request, reply, app, form);
    if (!actor) return reply;
    const read = readProfileForm(form);
    if (!read.ok)
      return sendAccountPage(request, reply, app, actor, {
        status: 400,
        error: messages(request.locale).account.profile.notSaved,
        profile: { values: read.values, problems: read.problems },
      });
    const changed = await updateOwnProfile(deps, actor, read.patch);
    request.log.info(
      { event: 'account.profile_updated', userId: actor.user.id, changed },
      'profile updated by its owner',
    );
    return backToAccount(reply, changed.length > 0 ? 'profile' : 'profile_unchanged', 'profile');
  });
}
