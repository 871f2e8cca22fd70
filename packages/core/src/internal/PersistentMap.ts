/**
 * A persistent map: `set` answers a new map and leaves the old one as it was, in O(log n) time and space (Effect's
 * `HashMap`, a hash array mapped trie), where copying a `Map` to change one key costs O(n). A state folded from n
 * events with it costs O(n log n) rather than O(n²). It reads as a `ReadonlyMap`; its iteration order is the
 * trie's, not the order of insertion.
 *
 * @internal
 */
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"

export class PersistentMap<K, V> implements ReadonlyMap<K, V> {
  private constructor(private readonly map: HashMap.HashMap<K, V>) {}

  static empty<K, V>(): PersistentMap<K, V> {
    return new PersistentMap(HashMap.empty<K, V>())
  }

  get size(): number {
    return HashMap.size(this.map)
  }

  get(key: K): V | undefined {
    return Option.getOrUndefined(HashMap.get(this.map, key))
  }

  has(key: K): boolean {
    return HashMap.has(this.map, key)
  }

  /** A map with `key` set to `value`; this one is unchanged. */
  set(key: K, value: V): PersistentMap<K, V> {
    return new PersistentMap(HashMap.set(this.map, key, value))
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.map) callback.call(thisArg, v, k, this)
  }

  *entries(): MapIterator<[K, V]> {
    for (const [k, v] of this.map) yield [k, v]
  }

  *keys(): MapIterator<K> {
    yield* HashMap.keys(this.map)
  }

  *values(): MapIterator<V> {
    yield* HashMap.values(this.map)
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries()
  }
}
