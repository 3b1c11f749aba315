using Parley.Client.Contacts;
using Parley.Client.Storage;

namespace Parley.Client.Tests.Contacts;

public sealed class IdentityPinsTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly StoreKey _key = StoreKey.Generate();
    private readonly ClientStore _store;

    public IdentityPinsTests() => _store = ClientStore.Create(_dir.File("s.db"), _key);

    public void Dispose()
    {
        _store.Dispose();
        _key.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void The_first_key_is_pinned_and_the_same_key_later_is_unchanged()
    {
        Assert.Equal(IdentityObservation.FirstUse, IdentityPins.Observe(_store, "bob", [1, 2, 3]));
        Assert.Equal(IdentityObservation.Unchanged, IdentityPins.Observe(_store, "bob", [1, 2, 3]));
        Assert.False(_store.GetContact("bob")!.KeyChanged);
    }

    [Fact]
    public void A_different_key_is_held_aside_clears_verification_and_stays_changed_until_trusted()
    {
        IdentityPins.Observe(_store, "bob", [1, 2, 3]);
        Assert.True(IdentityPins.MarkVerified(_store, "bob"));
        Assert.Equal(IdentityObservation.Changed, IdentityPins.Observe(_store, "bob", [9, 9, 9]));

        var bob = _store.GetContact("bob")!;
        Assert.True(bob.KeyChanged);
        Assert.False(bob.Verified);
        Assert.Equal([1, 2, 3], bob.IdentityKey);
        Assert.False(IdentityPins.MarkVerified(_store, "bob"));
        Assert.Equal(IdentityObservation.Changed, IdentityPins.Observe(_store, "bob", [1, 2, 3]));

        Assert.True(IdentityPins.TrustChanged(_store, "bob"));
        bob = _store.GetContact("bob")!;
        Assert.Equal([9, 9, 9], bob.IdentityKey);
        Assert.False(bob.KeyChanged);
        Assert.Equal(IdentityObservation.Unchanged, IdentityPins.Observe(_store, "bob", [9, 9, 9]));
        Assert.False(IdentityPins.TrustChanged(_store, "bob"));
    }

    [Fact]
    public void Trusting_an_unknown_changed_key_forgets_the_pin_so_the_next_key_is_pinned_afresh()
    {
        IdentityPins.Observe(_store, "bob", [1]);
        var bob = _store.GetContact("bob")!;
        bob.ChangedIdentityKey = [];
        _store.PutContact(bob);

        Assert.True(IdentityPins.TrustChanged(_store, "bob"));
        Assert.Null(_store.GetContact("bob")!.IdentityKey);
        Assert.Equal(IdentityObservation.FirstUse, IdentityPins.Observe(_store, "bob", [2]));
    }
}
