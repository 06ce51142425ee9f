/**
 * @param {{ id: number }[]} users
 * @param {number} id
 */
export function findUser(users, id) {
  for (let i = 0; i < users.length; i++) {
    if (users[i].id == id) {
      return users[i];
    }
  }
  return null;
}

/** @param {{ profile?: { name?: string } } | undefined} user */
export function displayName(user) {
  if (user && user.profile && user.profile.name) {
    return user.profile.name;
  }
  return 'anonymous';
}

/** @param {{ admin?: boolean } | undefined} user */
export function isAdmin(user) {
  return user !== undefined && user.admin === true ? true : false;
}
