using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Storage;
using FhirSecurity.Core.Tests.Fakes;
using Xunit;

namespace FhirSecurity.Core.Tests.Storage;

public sealed class VaultCallGateTests
{
    private static FhirSecurityException Busy()
        => new(ErrorIds.SecretVaultBusy, FailureCategory.ResourceBusy, "The vault 'Main' was busy.", "Main");

    [Fact]
    public void Calls_from_many_threads_never_overlap()
    {
        var gate = new VaultCallGate(attempts: 1, TimeSpan.Zero);
        int inside = 0;
        int overlaps = 0;

        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ => gate.Run(() =>
        {
            if (Interlocked.Increment(ref inside) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            Thread.SpinWait(2000);
            Interlocked.Decrement(ref inside);
        }));

        Assert.Equal(0, overlaps);
    }

    [Fact]
    public void A_collision_is_tried_again_until_the_call_goes_through()
    {
        var gate = new VaultCallGate(attempts: 4, TimeSpan.FromMilliseconds(1));
        int calls = 0;

        string value = gate.Run(() => ++calls < 3 ? throw Busy() : "value");

        Assert.Equal("value", value);
        Assert.Equal(3, calls);
    }

    [Fact]
    public void A_collision_that_lasts_is_reported_after_the_last_attempt_with_the_count()
    {
        var gate = new VaultCallGate(attempts: 3, TimeSpan.FromMilliseconds(1));
        int calls = 0;

        var ex = Assert.Throws<FhirSecurityException>(() => gate.Run<string>(() =>
        {
            calls++;
            throw Busy();
        }));

        Assert.Equal(3, calls);
        Assert.Equal(ErrorIds.SecretVaultBusy, ex.ErrorId);
        Assert.Equal(FailureCategory.ResourceBusy, ex.Category);
        Assert.Equal("The vault 'Main' was busy. FhirSecurity tried 3 times.", ex.Message);
        Assert.Equal("Main", ex.Target);
    }

    [Fact]
    public void Other_vault_failures_are_not_tried_again()
    {
        var gate = new VaultCallGate(attempts: 5, TimeSpan.FromMilliseconds(1));
        int calls = 0;

        var ex = Assert.Throws<FhirSecurityException>(() => gate.Run<string>(() =>
        {
            calls++;
            throw new FhirSecurityException(ErrorIds.SecretVaultLocked, FailureCategory.ResourceUnavailable, "locked");
        }));

        Assert.Equal(1, calls);
        Assert.Equal(ErrorIds.SecretVaultLocked, ex.ErrorId);
    }

    [Fact]
    public void The_gated_store_forwards_every_call()
    {
        var vaults = new InMemorySecretStore().AddVault("Main", isDefault: true);
        var store = new GatedSecretStore(vaults, new VaultCallGate(attempts: 1, TimeSpan.Zero));

        store.SetSecret("FhirSecurity-BasicAuth-a", "{}", "Main", new Dictionary<string, object>(), noClobber: false);

        Assert.Equal("{}", store.GetSecret("FhirSecurity-BasicAuth-a", "Main"));
        Assert.Single(store.GetSecretInfo("FhirSecurity-*", "Main"));
        Assert.Single(store.GetVaults());
        store.RemoveSecret("FhirSecurity-BasicAuth-a", "Main");
        Assert.Null(store.GetSecret("FhirSecurity-BasicAuth-a", "Main"));
    }
}
