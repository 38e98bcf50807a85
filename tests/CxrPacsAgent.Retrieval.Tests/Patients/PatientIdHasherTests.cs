using System.Diagnostics;
using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Retrieval.Tests.TestSupport;

namespace CxrPacsAgent.Retrieval.Tests.Patients;

public sealed class PatientIdHasherTests
{
    private static readonly byte[] Salt = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public void The_key_is_HMAC_SHA256_of_issuer_and_id_as_Pythons_hmac_module_computes_it()
    {
        var key = new PatientIdHasher(Salt).Hash("PAT-0042", "HOSP A");
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", "import hmac, hashlib, sys; print(hmac.new(bytes(range(1, 33)), 'HOSP A\\x1fPAT-0042'.encode(), hashlib.sha256).hexdigest())" })
        {
            info.ArgumentList.Add(arg);
        }
        using var python = Process.Start(info)!;
        var expected = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, python.StandardError.ReadToEnd());
        Assert.Equal(expected, key);
        Assert.True(PatientIdHasher.IsHash(key));
    }

    [Fact]
    public void DICOM_padding_does_not_change_the_key_but_the_issuer_and_the_salt_do()
    {
        var hasher = new PatientIdHasher(Salt);
        Assert.Equal(hasher.Hash("PAT1"), hasher.Hash(" PAT1 \0"));
        Assert.Equal(hasher.Hash("PAT1", null), hasher.Hash("PAT1", ""));
        Assert.NotEqual(hasher.Hash("PAT1"), hasher.Hash("PAT1", "OTHER"));
        Assert.NotEqual(hasher.Hash("PAT1"), new PatientIdHasher([.. Salt.Reverse()]).Hash("PAT1"));
        Assert.Null(hasher.Hash("   "));
        Assert.Null(hasher.Hash(null));
    }

    [Fact]
    public void Short_salts_and_raw_ids_posing_as_keys_are_refused()
    {
        Assert.Equal(RetrievalError.InvalidSalt, Assert.Throws<RetrievalException>(() => new PatientIdHasher(new byte[15])).Error);
        Assert.False(PatientIdHasher.IsHash("PAT-0042"));
        Assert.False(PatientIdHasher.IsHash(new string('A', 64))); // upper case is not what the hasher writes
        Assert.True(PatientIdHasher.IsHash(new string('a', 64)));
    }

    [Fact]
    public void The_salt_file_is_created_once_owner_only_and_read_back_after()
    {
        using var folder = new TempFolder();
        var path = folder.File("state/patient-id.salt");
        var first = PatientIdSalt.LoadOrCreate(path);
        Assert.Equal(PatientIdSalt.Bytes, first.Length);
        Assert.Equal(first, PatientIdSalt.LoadOrCreate(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        File.WriteAllBytes(path, new byte[4]);
        Assert.Equal(RetrievalError.InvalidSalt, Assert.Throws<RetrievalException>(() => PatientIdSalt.LoadOrCreate(path)).Error);
    }
}
