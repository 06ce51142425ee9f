import { describeRule } from './testing.js';
import { todoComment } from './todo-comment.js';

describeRule(todoComment, {
  valid: [
    '// a normal comment',
    '/* todos are listed in the tracker */',
    "const TODO = 'todo';",
    '// mastodon',
  ],
  invalid: [
    {
      code: 'f(); // TODO: handle errors',
      errors: [{ column: 9, message: 'Unresolved marker: TODO: handle errors' }],
    },
    {
      code: '/*\n * FIXME the cache leaks\n */',
      errors: [{ line: 2, column: 4, message: 'Unresolved marker: FIXME the cache leaks' }],
    },
    { code: '// HACK\n// XXX\n/** @todo later */', errors: 3 },
  ],
});
