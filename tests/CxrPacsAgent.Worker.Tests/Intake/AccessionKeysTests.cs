using CxrPacsAgent.Retrieval.Patients;
using CxrPacsAgent.Worker.Hosting;
using CxrPacsAgent.Worker.Intake;
using CxrPacsAgent.Worker.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CxrPacsAgent.Worker.Tests.Intake;

/// <summary>The accession number as intake records it: the patient-id hasher's key under the site's salt, never the number.</summary>
public sealed class AccessionKeysTests
{
    [Fact]
    public void The_key_is_the_site_hashers_under_the_accession_tag_made_from_the_header_and_never_the_number()
    {
        using var temp = new TempFolder("accession");
        var paths = new AgentPaths(temp.Sub("root"));
        var keys = new AccessionKeys(paths, Options.Create(new RetrievalOptions()), NullLogger<AccessionKeys>.Instance);
        var film = TestInstances.FrontalDx(temp.Path, size: 64);

        var key = keys.KeyOf(film);
        var salt = File.ReadAllBytes(Path.Combine(paths.StateFolder, PatientIdSalt.DefaultFileName));
        var hasher = new PatientIdHasher(salt);
        Assert.Equal(hasher.Hash(TestInstances.AccessionNumber, AccessionKeys.Issuer), key);
        Assert.True(PatientIdHasher.IsHash(key));
        // Kept apart from a patient id that happens to be the same text, and padding does not change it.
        Assert.NotEqual(hasher.Hash(TestInstances.AccessionNumber), key);
        Assert.Equal(key, keys.Key(TestInstances.AccessionNumber + " "));
        Assert.Null(keys.Key("  "));

        // A header that cannot be read, or a file that is not there: no key, no exception (the pipeline reports the damage).
        var garbage = Path.Combine(temp.Path, "garbage.dcm");
        File.WriteAllBytes(garbage, [1, 2, 3, 4, 5]);
        Assert.Null(keys.KeyOf(garbage));
        Assert.Null(keys.KeyOf(Path.Combine(temp.Path, "missing.dcm")));
    }

    [Fact]
    public void A_salt_that_cannot_be_read_leaves_the_key_out_rather_than_failing_intake()
    {
        using var temp = new TempFolder("accession-salt");
        var bad = Path.Combine(temp.Path, "short.salt");
        File.WriteAllBytes(bad, [1, 2, 3]);
        var keys = new AccessionKeys(new AgentPaths(temp.Sub("root")), Options.Create(new RetrievalOptions { SaltFile = bad }),
            NullLogger<AccessionKeys>.Instance);
        Assert.Null(keys.KeyOf(TestInstances.FrontalDx(temp.Path, size: 64)));
    }
}
