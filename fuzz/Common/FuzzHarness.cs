using SharpFuzz;

namespace CxrPacsAgent.Fuzz;

/// <summary>
/// The loop every harness runs: with a file path it replays that one input (e.g. a crash AFL saved, on an
/// uninstrumented build); otherwise it serves AFL through SharpFuzz, whose instrumented code may only run inside the
/// callback. An exception <paramref name="expected"/> accepts is the typed rejection bad input deserves; any other
/// exception, a hang or a crash is a finding.
/// </summary>
internal static class FuzzHarness
{
    public static void Run(string? replayPath, Action<byte[]> target, Func<Exception, bool>? expected = null)
    {
        if (replayPath is not null)
        {
            Invoke(target, File.ReadAllBytes(replayPath), expected);
            return;
        }
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            Invoke(target, buffer.ToArray(), expected);
        });
    }

    private static void Invoke(Action<byte[]> target, byte[] input, Func<Exception, bool>? expected)
    {
        try
        {
            target(input);
        }
        catch (Exception e) when (expected?.Invoke(e) == true)
        {
            // The answer malformed input should get.
        }
    }
}
