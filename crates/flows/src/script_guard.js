// Run before every code-box script (see script.rs). QuickJS checks the
// time limit between bytecode instructions, but some built-ins loop in C
// over an array's `length` without checking it, and over the holes of a
// sparse array they allocate nothing either: `Array(2**32 - 1).join()`
// or `Array.prototype.reverse.call({length: 2**53 - 1})` would hold the
// thread for minutes, past any limit. These wrappers refuse such a
// length before the C loop starts. `max` is above the length of any array
// that fits in the memory limit, so only sparse arrays and array-likes
// are refused. Everything the wrappers use is captured here, before the
// script can replace it.
(max) => {
  'use strict';
  const apply = Reflect.apply;
  const define = Object.defineProperty;
  const isArray = Array.isArray;
  const trunc = Math.trunc;
  const spreadable = Symbol.isConcatSpreadable;
  const proto = Array.prototype;
  const map = proto.map;

  const lengthOf = (o) => {
    if (o === null || o === undefined) return 0; // the built-in throws
    const n = trunc(+o.length);
    return n > 0 ? n : 0;
  };
  // Charges `n` elements to the budget of one call.
  const charge = (budget, n) => {
    if (n > budget.left) {
      throw new RangeError('lista longa demais para o script (length ' + n + ')');
    }
    budget.left -= n;
  };
  const spreads = (o) => {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function')) return false;
    const s = o[spreadable];
    return s === undefined ? isArray(o) : !!s;
  };
  // What `flat(depth)` will visit, array by array, in JavaScript (so the
  // time limit applies to the walk itself).
  const chargeFlat = (budget, o, depth) => {
    const n = lengthOf(o);
    charge(budget, n);
    if (depth < 1) return;
    for (let i = 0; i < n; i++) {
      const e = o[i];
      if (isArray(e)) chargeFlat(budget, e, depth - 1);
    }
  };
  const depthOf = (d) => {
    if (d === undefined) return 1;
    const n = trunc(+d);
    return n > 0 ? n : 0;
  };

  const wrap = (target, name, check) => {
    const original = target[name];
    const guarded = {
      [name](...args) {
        check({ left: max }, this, args);
        return apply(original, this, args);
      },
    }[name];
    define(guarded, 'length', { value: original.length });
    define(target, name, { value: guarded, writable: true, configurable: true });
    return guarded;
  };
  const ownLength = (budget, self) => charge(budget, lengthOf(self));

  for (const name of [
    'join', 'toString', 'toLocaleString', 'copyWithin', 'reverse', 'splice',
    'sort', 'shift', 'unshift', 'slice',
  ]) {
    wrap(proto, name, ownLength);
  }
  wrap(proto, 'concat', (budget, self, args) => {
    charge(budget, spreads(self) ? lengthOf(self) : 1);
    for (let i = 0; i < args.length; i++) {
      charge(budget, spreads(args[i]) ? lengthOf(args[i]) : 1);
    }
  });
  const flat = wrap(proto, 'flat', (budget, self, args) => {
    chargeFlat(budget, self, depthOf(args[0]));
  });
  // The built-in flattens what the callback returns in C: map first, then
  // the guarded `flat`.
  const flatMap = {
    flatMap(callback, thisArg) {
      return apply(flat, apply(map, this, [callback, thisArg]), [1]);
    },
  }.flatMap;
  define(flatMap, 'length', { value: 1 });
  define(proto, 'flatMap', { value: flatMap, writable: true, configurable: true });
  wrap(String, 'raw', (budget, self, args) => {
    const template = args[0];
    ownLength(budget, template === null || template === undefined ? template : template.raw);
  });
}
