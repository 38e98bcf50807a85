using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CxrPacsAgent.Dicom.Network.Storage;

/// <summary>
/// Starts the kernel writing a file range to disk without waiting for it (Linux sync_file_range,
/// SYNC_FILE_RANGE_WRITE). Called as a data set arrives, it lets the disk work while the network does, so the fsync
/// at the end waits only for the last piece. A hint: where it is unavailable or fails, the fsync does all the work.
/// </summary>
internal static partial class Writeback
{
    private const uint SyncFileRangeWrite = 2;

    private static bool unavailable = !OperatingSystem.IsLinux();

    public static void Start(SafeFileHandle handle, long offset, long length)
    {
        if (unavailable)
        {
            return;
        }
        try
        {
            _ = SyncFileRange((int)handle.DangerousGetHandle(), offset, length, SyncFileRangeWrite);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(int fd, long offset, long nbytes, uint flags);
}
