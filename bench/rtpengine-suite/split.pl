#!/usr/bin/perl
# Splits rtpengine's t/auto-daemon-tests.pl (tag mr10.5.3.5) into one Perl script per scenario.
#
#   perl split.pl <auto-daemon-tests.pl> <outdir>
#
# A scenario starts at every statement that calls new_call (`new_call;` or `(...) = new_call(...)`) and
# runs to the next one. Each script is the suite's preamble (its `use` lines, the shared variables,
# the helper subs and the embedded audio data; everything above the first new_call) with
# autotest_start(...) replaced by autotest_init() (connect to a daemon that is already running), then
# the scenario text, then done_testing(). Writes <outdir>/NNN.pl and <outdir>/index.tsv:
#   index  line  excluded-reason(or -)  name
# The exclusion rule is mechanical (a regex over the scenario text, see README.md), so it is the same
# for every daemon measured.
use strict;
use warnings;

my ($in, $out) = @ARGV;
die "usage: $0 <auto-daemon-tests.pl> <outdir>\n" unless $in && $out;
open(my $fh, '<', $in) or die "$in: $!";
my @lines = <$fh>;
close($fh);
mkdir($out);

my $is_new_call = qr/^\s*(?:\([^)]*\)\s*=\s*)?new_call\b/;

# Preamble: everything before the first new_call.
my $first;
for my $i (0 .. $#lines) {
	if ($lines[$i] =~ $is_new_call) { $first = $i; last; }
}
die "no new_call in $in\n" unless defined $first;
my $preamble = join('', @lines[0 .. $first - 1]);
$preamble =~ s/autotest_start\(.*?\)\s*\n\s*or die;/autotest_init() or die;/s
	or die "autotest_start(...) or die; not found in the preamble\n";

# `if ($amr_tests) { ... }` and `if (0) { ... }` blocks (top level, closing `}` in column 0) wrap
# several scenarios; their two delimiting lines are blanked and the scenarios inside are excluded
# (rtpengine's own run skips them too: $amr_tests is true only on its author's host).
my @amr = ('') x @lines;
my $in_amr = '';
for my $i ($first .. $#lines) {
	if (!$in_amr && $lines[$i] =~ /^if \((\$amr_tests|0)\) \{/) {
		$in_amr = $1 eq '0' ? 'disabled-if-0' : 'amr_tests-guard';
		chomp(my $l = $lines[$i]); $lines[$i] = "# (split.pl: `$l` removed)\n";
		next;
	}
	if ($in_amr && $lines[$i] =~ /^\}\s*$/) {
		$in_amr = '';
		$lines[$i] = "# (split.pl: end of the guarded block removed)\n";
		next;
	}
	$amr[$i] = $in_amr;
}
die "unterminated guarded block\n" if $in_amr;

my @starts = grep { $lines[$_] =~ $is_new_call } ($first .. $#lines);
open(my $idx, '>', "$out/index.tsv") or die;
# A file-scope `my` in one scenario is visible to every later one in the suite's single file (scenario 7,
# "ICE with just peer reflexive, controlled", uses the $packet that scenario 6 declares). Each later script
# that uses such a variable without declaring it at file scope itself gets a `my` for it (its value never
# carried over: every such scenario assigns before use, else the suite itself would warn).
my %declared_before;
for my $n (0 .. $#starts) {
	my $s = $starts[$n];
	my $e = $n < $#starts ? $starts[$n + 1] - 1 : $#lines;
	my $text = join('', @lines[$s .. $e]);
	$text =~ s/^\s*#?\s*done_testing.*$//mg;
	my $name = '';
	if ($text =~ /\b(?:offer|answer|publish|subscribe_request)\(\s*(['"])(.*?)\1/s) { $name = $2; }
	elsif ($text =~ /\brtpe_req\(\s*(['"])[^'"]*\1\s*,\s*(['"])(.*?)\2/s) { $name = $3; }
	elsif ($text =~ /^\s*#\s*(.+)$/m) { $name = $1; }
	$name =~ s/[\t\n]/ /g;
	my $reason = exclusion($text, $amr[$s]);
	my %own;
	while ($text =~ /^my\s*(?:\(([^)]*)\)|([\$\@%]\w+))/mg) {
		$own{$_} = 1 for grep { /^[\$\@%]\w+$/ } split(/[\s,]+/, $1 // $2);
	}
	my @carried = grep { !$own{$_} && $text =~ /\Q$_\E\b/ } sort keys %declared_before;
	$declared_before{$_} = 1 for keys %own;
	printf $idx "%d\t%d\t%s\t%s\n", $n + 1, $s + 1, $reason // '-', $name;
	open(my $o, '>', sprintf("%s/%03d.pl", $out, $n + 1)) or die;
	print $o $preamble;
	printf $o "\n# ---- scenario %d: line %d of %s ----\n", $n + 1, $s + 1, $in;
	print $o "my (" . join(', ', @carried) . "); # split.pl: declared at file scope by an earlier scenario\n" if @carried;
	print $o "#line " . ($s + 1) . " \"auto-daemon-tests.pl\"\n";
	print $o $text;
	print $o "\ndone_testing();\n";
	close($o);
}
close($idx);

# The exclusion rule (README.md "Exclusions"): first match wins.
sub exclusion {
	my ($t, $in_amr) = @_;
	$t =~ s/^\s*#.*$//mg;    # comments (often the title of the next scenario) do not count
	return $in_amr if $in_amr;
	return 'encryption' if $t =~ m{\bSAVPF?\b|a=crypto|a=fingerprint|\bDTLS\b|\bSDES\b|\bOSRTP\b|\bSRTP\b|srtp_(?:snd|rcv|dec|ctx)}i;
	return 'ICE' if $t =~ m{\bICE['"]?\s*=>\s*['"](?!remove['"])|\bICE-lite\b|a=candidate|a=ice-|stun_|\bSTUN\b}i;
	return 'recording' if $t =~ m{\brecord}i;
	return undef;
}
