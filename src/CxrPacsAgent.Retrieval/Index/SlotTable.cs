namespace CxrPacsAgent.Retrieval.Index;

/// <summary>
/// Maps the vector index's keys (dense slots, never reused) to entry ids and the filter tags of each entry. Slots are
/// keys because a search filter then looks up an array, not a dictionary. Changed only under the index's write gate;
/// searches read the columns without a lock: columns are replaced, never resized in place, and a slot is written
/// before its vector enters the index.
/// </summary>
internal sealed class SlotTable
{
    private readonly Dictionary<long, int> slotOfEntry = [];
    private volatile Columns columns = new(new long[1024], new ulong[1024], new ulong[1024]);

    /// <summary>Slots handed out so far (live or released).</summary>
    public int Used { get; private set; }

    /// <summary>Entries that have a slot.</summary>
    public int Live => slotOfEntry.Count;

    public IReadOnlyCollection<long> EntryIds => slotOfEntry.Keys;

    public Columns Current => columns;

    public bool Contains(long entryId) => slotOfEntry.ContainsKey(entryId);

    public bool TryGetSlot(long entryId, out int slot) => slotOfEntry.TryGetValue(entryId, out slot);

    public int Assign(long entryId, ulong study, ulong patient)
    {
        var current = columns;
        if (Used == current.EntryIds.Length)
        {
            var size = current.EntryIds.Length * 2;
            current = new Columns(Grow(current.EntryIds, size), Grow(current.Studies, size), Grow(current.Patients, size));
        }
        var slot = Used;
        current.EntryIds[slot] = entryId;
        current.Studies[slot] = study;
        current.Patients[slot] = patient;
        columns = current;
        slotOfEntry.Add(entryId, slot);
        Used++;
        return slot;
    }

    /// <summary>Frees the entry's slot (its column value becomes 0, "no entry").</summary>
    public bool TryRelease(long entryId, out int slot)
    {
        if (!slotOfEntry.Remove(entryId, out slot))
        {
            return false;
        }
        columns.EntryIds[slot] = 0;
        return true;
    }

    /// <summary>Restores a table written by <see cref="Columns"/> of a snapshot.</summary>
    public static SlotTable FromColumns(long[] entryIds, ulong[] studies, ulong[] patients, int used)
    {
        var table = new SlotTable { Used = used };
        var capacity = Math.Max(1024, entryIds.Length);
        table.columns = new Columns(Grow(entryIds, capacity), Grow(studies, capacity), Grow(patients, capacity));
        for (var slot = 0; slot < used; slot++)
        {
            if (entryIds[slot] != 0 && !table.slotOfEntry.TryAdd(entryIds[slot], slot))
            {
                throw new InvalidDataException($"entry {entryIds[slot]} holds two slots");
            }
        }
        return table;
    }

    private static T[] Grow<T>(T[] source, int size)
    {
        var result = new T[size];
        source.AsSpan(0, Math.Min(source.Length, size)).CopyTo(result);
        return result;
    }

    /// <summary>Entry id (0: released), study tag and patient tag per slot.</summary>
    internal sealed record Columns(long[] EntryIds, ulong[] Studies, ulong[] Patients);
}
