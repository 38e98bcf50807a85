using System.Runtime.InteropServices;
using System.Text;
using CxrPacsAgent.Retrieval.Storage;
using CxrPacsAgent.Retrieval.Vectors;

namespace CxrPacsAgent.Retrieval.Index;

/// <summary>
/// A model's HNSW index saved for a fast start: the graph in USearch's own file (<c>{model}-{version}.{generation}.usearch</c>)
/// and a state file (<c>{model}-{version}.snapshot</c>) with the watermark, the slot table and the graph's name and length.
/// The graph is written and fsync'd first, the state file last by an atomic rename, so a kill at any moment leaves the
/// previous snapshot, the new one, or none — each of which the rows then bring up to date. Anything that does not add
/// up is refused with a reason, and the index is rebuilt from the rows.
/// </summary>
internal static class IndexSnapshot
{
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "CXRIDX01"u8.ToArray();
    private static readonly byte[] Trailer = "CXRIDXOK"u8.ToArray();

    public static string StatePath(string folder, ModelIdentity model) => Path.Combine(folder, model.FileStem + ".snapshot");

    /// <summary>Writes a snapshot; false (and why) when another process is writing one right now.</summary>
    public static bool TryWrite(string folder, StoredModel model, Watermark watermark, SlotTable slots, HnswVectorIndex graph, out string? problem)
    {
        Directory.CreateDirectory(folder);
        var stem = model.Identity.FileStem;
        using var writerLock = TryLock(Path.Combine(folder, stem + ".lock"));
        if (writerLock is null)
        {
            problem = "another process is writing this model's snapshot";
            return false;
        }
        var graphName = $"{stem}.{watermark.Entries}-{watermark.Removals}-{Guid.NewGuid().ToString("N")[..8]}.usearch";
        var graphPath = Path.Combine(folder, graphName);
        graph.Save(graphPath);
        using (var written = new FileStream(graphPath, FileMode.Open, FileAccess.ReadWrite))
        {
            written.Flush(flushToDisk: true);
        }
        var statePath = StatePath(folder, model.Identity);
        var temporary = statePath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(model.Identity.Name);
                writer.Write(model.Identity.Version);
                writer.Write(model.Dimensions);
                writer.Write(watermark.Entries);
                writer.Write(watermark.Removals);
                writer.Write(graphName);
                writer.Write(new FileInfo(graphPath).Length);
                writer.Write(slots.Used);
                writer.Write(slots.Live);
                writer.Flush();
                var columns = slots.Current;
                stream.Write(MemoryMarshal.AsBytes(columns.EntryIds.AsSpan(0, slots.Used)));
                stream.Write(MemoryMarshal.AsBytes(columns.Studies.AsSpan(0, slots.Used)));
                stream.Write(MemoryMarshal.AsBytes(columns.Patients.AsSpan(0, slots.Used)));
                writer.Write(Trailer);
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, statePath, overwrite: true);
        foreach (var old in Directory.EnumerateFiles(folder, stem + ".*.usearch"))
        {
            if (!string.Equals(Path.GetFileName(old), graphName, StringComparison.Ordinal))
            {
                File.Delete(old);
            }
        }
        problem = null;
        return true;
    }

    /// <summary>The saved index, or null and the reason it cannot be used (damaged, another model's); no reason when there is none.</summary>
    public static LoadedSnapshot? TryRead(string folder, StoredModel model, HnswOptions options, out string? problem)
    {
        // Another process may replace the snapshot between our reading its state and opening its graph (it deletes the
        // old graph once the new state is in place): a second look reads the new state.
        var loaded = TryReadOnce(folder, model, options, out problem, out var graphMissing);
        return loaded is null && graphMissing ? TryReadOnce(folder, model, options, out problem, out _) : loaded;
    }

    private static LoadedSnapshot? TryReadOnce(string folder, StoredModel model, HnswOptions options, out string? problem, out bool graphMissing)
    {
        graphMissing = false;
        var statePath = StatePath(folder, model.Identity);
        if (!File.Exists(statePath))
        {
            problem = null;
            return null;
        }
        HnswVectorIndex? graph = null;
        try
        {
            using var stream = new FileStream(statePath, FileMode.Open, FileAccess.Read);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            Expect(reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic), "it is not a snapshot file");
            Expect(reader.ReadInt32() == FormatVersion, "its format version is unknown");
            var identity = new ModelIdentity(reader.ReadString(), reader.ReadString());
            Expect(identity == model.Identity, $"it belongs to {identity}");
            Expect(reader.ReadInt32() == model.Dimensions, "its dimensions differ");
            var watermark = new Watermark(reader.ReadInt64(), reader.ReadInt64());
            var graphPath = Path.Combine(folder, Path.GetFileName(reader.ReadString()));
            var graphLength = reader.ReadInt64();
            var used = reader.ReadInt32();
            var live = reader.ReadInt32();
            Expect(used >= 0 && live >= 0 && live <= used && (long)used * 24 <= stream.Length, "its slot counts are impossible");
            var entryIds = new long[used];
            var studies = new ulong[used];
            var patients = new ulong[used];
            stream.ReadExactly(MemoryMarshal.AsBytes(entryIds.AsSpan()));
            stream.ReadExactly(MemoryMarshal.AsBytes(studies.AsSpan()));
            stream.ReadExactly(MemoryMarshal.AsBytes(patients.AsSpan()));
            Expect(reader.ReadBytes(Trailer.Length).AsSpan().SequenceEqual(Trailer) && stream.Position == stream.Length, "it is truncated or has trailing bytes");
            graphMissing = !File.Exists(graphPath);
            Expect(!graphMissing && new FileInfo(graphPath).Length == graphLength, "its graph file is missing or of another length");
            var slots = SlotTable.FromColumns(entryIds, studies, patients, used);
            Expect(slots.Live == live, "its slot table is inconsistent");
            graph = HnswVectorIndex.Load(graphPath, model.Dimensions, options);
            Expect(graph.Count == live, $"its graph holds {graph.Count} vectors, its slot table {live}");
            problem = null;
            return new LoadedSnapshot(slots, graph, watermark, statePath);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or USearchException
            or RetrievalException or ArgumentException or UnauthorizedAccessException)
        {
            graph?.Dispose();
            problem = $"snapshot {Path.GetFileName(statePath)} refused: {e.Message}";
            return null;
        }
    }

    private static void Expect(bool condition, string otherwise)
    {
        if (!condition)
        {
            throw new InvalidDataException(otherwise);
        }
    }

    /// <summary>An exclusive lock on <paramref name="path"/> (advisory, across processes), or null when another holds it.</summary>
    private static FileStream? TryLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>What a snapshot restores: the slot table, the graph and how far the rows had been read.</summary>
internal sealed record LoadedSnapshot(SlotTable Slots, HnswVectorIndex Graph, Watermark Watermark, string Path);
