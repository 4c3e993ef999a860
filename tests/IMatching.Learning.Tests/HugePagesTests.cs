using IMatching.Learning;

namespace IMatching.Learning.Tests;

public class HugePagesTests
{
    [Theory]
    [InlineData(null, "glibc.malloc.hugetlb=1")]
    [InlineData("", "glibc.malloc.hugetlb=1")]
    [InlineData("glibc.malloc.check=3", "glibc.malloc.check=3:glibc.malloc.hugetlb=1")]
    [InlineData("glibc.malloc.hugetlb_other=2", "glibc.malloc.hugetlb_other=2:glibc.malloc.hugetlb=1")]
    [InlineData("glibc.malloc.hugetlb=0", null)]
    [InlineData("glibc.malloc.check=3:glibc.malloc.hugetlb=1", null)]
    public void HugePagesAreAddedUnlessTheTunablesAlreadyDecide(string? tunables, string? expected) =>
        Assert.Equal(expected, HugePages.TunablesWithHugePages(tunables));

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("glibc.malloc.hugetlb=1", true)]
    [InlineData("glibc.malloc.check=3:glibc.malloc.hugetlb=2", true)]
    [InlineData("glibc.malloc.hugetlb=0", false)]
    [InlineData("glibc.malloc.hugetlb_other=1", false)]
    [InlineData("glibc.malloc.hugetlb=10", false)]
    public void HugePagesAreAskedOnlyByHugetlbOneOrTwo(string? tunables, bool asked) =>
        Assert.Equal(asked, HugePages.Asked(tunables));

    [Theory]
    [InlineData("always [madvise] never\n", true)]
    [InlineData("[always] madvise never\n", true)]
    [InlineData("always madvise [never]\n", false)]
    public void TheKernelOffersHugePagesUnlessItsModeIsNever(string mode, bool offered) =>
        Assert.Equal(offered, HugePages.KernelOffers(mode));

    [Theory]
    [InlineData("2.36", true)]
    [InlineData("2.35", true)]
    [InlineData("2.34", false)]
    [InlineData("2.17", false)]
    [InlineData("3.0", true)]
    [InlineData("unknown", false)]
    public void OnlyGlibc235AndLaterKnowTheTunable(string version, bool knows) =>
        Assert.Equal(knows, HugePages.GlibcKnowsTunable(version));
}
