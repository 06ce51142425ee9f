export function findUser(users, id) {
  for (let i = 0; i < users.length; i++) {
    if (users[i].id == id) {
      return users[i];
    }
  }
  return null;
}

export function displayName(user) {
  if (user && user.profile && user.profile.name) {
    return user.profile.name;
  }
  return 'anonymous';
}
