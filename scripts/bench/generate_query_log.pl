#!/usr/bin/perl
# Writes a PostgreSQL stderr log (log_line_prefix '%m [%p] %q%u@%d ', log_min_duration_statement = 0)
# of about SIZE_MB megabytes to stdout, for scripts/bench.sh --query-log: 200 statement shapes
# over 20 tables with random constants, one in ten on several lines (tab-led continuation
# lines), one in five an extended-protocol execute with its DETAIL parameters, one in fifty an
# auto_explain plan, and the server's own messages between them.
#   scripts/bench/generate_query_log.pl SIZE_MB [SEED]
use strict;
use warnings;
no warnings "redundant"; # a shape uses fewer of the three values than it is given

my $size_mb = shift // 1024;
my $seed = shift // 17;
srand($seed);
my $limit = $size_mb * 1024 * 1024;
my @tables = map { "t$_" } 1 .. 20;
my @cols = qw(id account_id status created_at amount email note kind ref owner_id);
my @shapes;
for my $i (0 .. 199) {
  my $t = $tables[$i % 20];
  my @c = map { $cols[($i + int($i / 20) + 3 * $_) % @cols] } 0 .. 2;
  my $k = $i % 4;
  push @shapes, $k == 0 ? ["select $c[0], $c[1] from $t where $c[2] = %d", "select $c[0], $c[1]\n  from $t\n where $c[2] = %d"]
              : $k == 1 ? ["update $t set $c[0] = %d where id = %d", "update $t\n   set $c[0] = %d\n where id = %d"]
              : $k == 2 ? ["select count(*) from $t where $c[1] > %d and $c[2] = 'v%d'", "select count(*)\n  from $t\n where $c[1] > %d\n   and $c[2] = 'v%d'"]
              :           ["select * from $t a join t1 b on b.id = a.$c[0] where a.$c[1] in (%d, %d, %d)", "select *\n  from $t a\n  join t1 b on b.id = a.$c[0]\n where a.$c[1] in (%d, %d, %d)"];
}
my $written = 0;
my $ms = 0;
my @out;
while ($written < $limit) {
  $ms += int(rand(40));
  my $sec = int($ms / 1000);
  my $ts = sprintf("2026-11-%02d %02d:%02d:%02d.%03d UTC", 1 + int($sec / 86400) % 28, int($sec / 3600) % 24,
                   int($sec / 60) % 60, $sec % 60, $ms % 1000);
  my $pid = 1000 + int(rand(200));
  my $prefix = "$ts [$pid] app\@shop ";
  my $r = rand();
  my $shape = $shapes[int(rand(@shapes))];
  my @v = map { int(rand(1_000_000)) } 1 .. 3;
  my $text;
  if ($r < 0.01) {
    $text = "${ts} [17] LOG:  checkpoint complete: wrote 1234 buffers (7.5%); 0 WAL file(s) added, 0 removed, 1 recycled\n";
  } elsif ($r < 0.03) {
    my $t = $tables[int(rand(@tables))];
    $text = "${prefix}LOG:  duration: " . sprintf("%.3f", rand(90)) . " ms  plan:\n\tQuery Text: select * from $t where status = 'v$v[0]'\n"
      . "\tSeq Scan on $t  (cost=0.00..1234.00 rows=10 width=64) (actual time=0.010.." . sprintf("%.3f", rand(80)) . " rows=10 loops=1)\n"
      . "\t  Filter: (status = 'v$v[0]'::text)\n\t  Rows Removed by Filter: " . int(rand(100000)) . "\n";
  } elsif ($r < 0.23) {
    my $n = 0;
    my $q;
    ($q = $shape->[0]) =~ s/%d/'$' . ++$n/ge;
    $text = "${prefix}LOG:  duration: " . sprintf("%.3f", rand(5)) . " ms  execute S_" . int(rand(50)) . ": $q\n"
      . "${prefix}DETAIL:  parameters: " . join(", ", map { "\$$_ = '$v[$_ - 1]'" } 1 .. $n) . "\n";
  } elsif ($r < 0.33) {
    (my $q = sprintf($shape->[1], @v)) =~ s/\n/\n\t/g;
    $text = "${prefix}LOG:  duration: " . sprintf("%.3f", rand(5)) . " ms  statement: $q\n";
  } else {
    $text = "${prefix}LOG:  duration: " . sprintf("%.3f", rand(5)) . " ms  statement: " . sprintf($shape->[0], @v) . "\n";
  }
  push @out, $text;
  $written += length($text);
  if (@out >= 10000) {
    print @out;
    @out = ();
  }
}
print @out;
