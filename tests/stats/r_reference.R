# R `survey`'s figures for every design in a CSV, one Rscript run for all of them.
#
# Usage: Rscript r_reference.R designs.csv specs.csv results.csv
# designs.csv: one row per respondent, with the columns the Python side writes
#   (id, stratum, psu, ssu, w, fpc, fpc2, y, y2, x, z, g, ps, ps_target, r1, r1_target, r2,
#   r2_target).
# specs.csv: one row per design (id, strata, cluster, fpc, ssu, fpc2, weighted, x_levels,
#   trim_lower, trim_upper); ssu: two stages (ids ~psu + ssu), fpc2: the second stage has an
#   fpc (otherwise it is given as Inf, sampled with replacement), weighted: weights ~w (otherwise
#   R derives them from the fpc).
# results.csv: id,key,value lines, every number with 17 significant digits.
# Usage: Rscript r_reference.R --api DIR   writes apistrat/apiclus1/apiclus2 as CSV into DIR.

suppressPackageStartupMessages(library(survey))
Sys.setlocale("LC_COLLATE", "C")
options(survey.lonely.psu = "adjust", warn = -1)
args <- commandArgs(trailingOnly = TRUE)

if (args[1] == "--api") {
  data(api)
  for (name in c("apistrat", "apiclus1", "apiclus2")) {
    write.csv(get(name), file.path(args[2], paste0(name, ".csv")), row.names = FALSE)
  }
  quit(save = "no")
}

data <- read.csv(args[1], stringsAsFactors = FALSE, na.strings = "")
specs <- read.csv(args[2], stringsAsFactors = FALSE)
for (flag in c("strata", "cluster", "fpc", "ssu", "fpc2", "weighted")) {
  specs[[flag]] <- as.logical(specs[[flag]])  # Python writes True/False
}
output <- file(args[3], "w")

write_values <- function(id, values) {
  if (length(values)) {
    writeLines(sprintf("%d,%s,%.17g", id, names(values), as.numeric(values)), output)
  }
}

ci_of <- function(x) as.numeric(attr(x, "ci"))

# svyciprop(method = "logit") fits its glm to glm.control()'s default deviance change of 1e-8,
# which moves the ninth digit of the interval; this is the same interval (a Wald interval for
# the intercept of svyglm(hit ~ 1, family = quasibinomial) on degf, transformed by expit)
# with the glm iterated to convergence. svyciprop itself is compared at 1e-6 as well.
logit_interval <- function(design, level = 0.95) {
  fit <- svyglm(hit ~ 1, design, family = quasibinomial,
                control = glm.control(epsilon = 1e-15, maxit = 100))
  half <- qt(1 - (1 - level) / 2, degf(design)) * SE(fit)[1]
  plogis(coef(fit)[1] + c(-half, half))
}

for (row in seq_len(nrow(specs))) {
  spec <- specs[row, ]
  id <- spec$id
  d <- data[data$id == id, ]
  x_levels <- strsplit(spec$x_levels, "|", fixed = TRUE)[[1]]
  d$x <- factor(d$x, levels = x_levels)
  d$g <- factor(d$g)
  d$ps <- factor(d$ps)
  d$r1 <- factor(d$r1)
  d$r2 <- factor(d$r2)
  v <- c()
  put <- function(key, value) {
    value <- as.numeric(value)
    names(value) <- if (length(value) == 1) key else paste(key, seq_along(value), sep = ".")
    v <<- c(v, value)
  }
  # R refuses an fpc for fewer stages than ids: a second stage without one is given an
  # infinite population (a sampling fraction of 0), i.e. drawn with replacement.
  if (spec$ssu && !spec$fpc2) d$fpc2 <- if (any(d$fpc > 1)) Inf else 0
  des <- svydesign(ids = if (spec$ssu) ~psu + ssu else if (spec$cluster) ~psu else ~1,
                   strata = if (spec$strata) ~stratum else NULL,
                   fpc = if (!spec$fpc) NULL else if (spec$ssu) ~fpc + fpc2 else ~fpc,
                   weights = if (spec$weighted) ~w else NULL, data = d)
  put("degf", degf(des))
  put("design.weights", weights(des))

  # Means and totals, whole sample and per domain (svyby), with t intervals on degf.
  m <- svymean(~y, des, na.rm = TRUE)
  put("mean", coef(m)); put("mean.se", SE(m))
  put("mean.ci", confint(m, df = degf(des)))
  t <- svytotal(~y, des, na.rm = TRUE)
  put("total", coef(t)); put("total.se", SE(t))
  bm <- svyby(~y, ~g, des, svymean, na.rm = TRUE)
  bt <- svyby(~y, ~g, des, svytotal, na.rm = TRUE)
  for (i in seq_along(levels(d$g))) {
    level <- levels(d$g)[i]
    put(paste0("dmean.", level), coef(bm)[i]); put(paste0("dmean.se.", level), SE(bm)[i])
    put(paste0("dtotal.", level), coef(bt)[i]); put(paste0("dtotal.se.", level), SE(bt)[i])
  }

  # Design effects (deff = TRUE, and deff = "replace"), whole sample and per domain.
  for (kind in c("TRUE", "replace")) {
    flag <- if (kind == "TRUE") TRUE else "replace"
    tail <- if (kind == "TRUE") "" else ".replace"
    put(paste0("deff.mean", tail), deff(svymean(~y, des, na.rm = TRUE, deff = flag)))
    put(paste0("deff.total", tail), deff(svytotal(~y, des, na.rm = TRUE, deff = flag)))
    # deff() of an svyby stops on deff = "replace"; its DEff column holds the same figures.
    by_deff <- function(b) b[[grep("^DEff", names(b))]]
    dm <- by_deff(svyby(~y, ~g, des, svymean, na.rm = TRUE, deff = flag))
    dt <- by_deff(svyby(~y, ~g, des, svytotal, na.rm = TRUE, deff = flag))
    for (i in seq_along(levels(d$g))) {
      put(paste0("deff.dmean", tail, ".", levels(d$g)[i]), dm[i])
      put(paste0("deff.dtotal", tail, ".", levels(d$g)[i]), dt[i])
    }
  }
  pd <- deff(svymean(~x, des, na.rm = TRUE, deff = TRUE))
  for (i in seq_along(x_levels)) put(paste0("deff.prop.", x_levels[i]), pd[i])
  for (level in levels(d$g)) {
    dpd <- deff(svymean(~x, subset(des, g == level), na.rm = TRUE, deff = TRUE))
    for (i in seq_along(x_levels)) put(paste0("deff.dprop.", level, ".", x_levels[i]), dpd[i])
  }

  # Ratio of two totals (svyratio), whole sample and per domain, with its design effect.
  rr <- svyratio(~y, ~y2, des, na.rm = TRUE, deff = TRUE)
  put("ratio", coef(rr)); put("ratio.se", SE(rr)); put("ratio.deff", deff(rr))
  br <- svyby(~y, ~g, des, svyratio, denominator = ~y2, na.rm = TRUE, deff = TRUE)
  for (i in seq_along(levels(d$g))) {
    level <- levels(d$g)[i]
    put(paste0("ratio.domain.", level), coef(br)[i])
    put(paste0("ratio.domain.se.", level), SE(br)[i])
    put(paste0("ratio.domain.deff.", level), deff(br)[i])
  }

  # Linear contrasts of domain means and totals (svyby with covmat = TRUE, then svycontrast).
  # svyby(covmat = TRUE) stops on missing values even with na.rm = TRUE, so the rows with a
  # y are taken first (subset keeps every stratum's count of PSUs: the same variance).
  lv <- levels(d$g)
  known <- subset(des, !is.na(y))
  bc <- svyby(~y, ~g, known, svymean, covmat = TRUE)
  con <- svycontrast(bc, list(difference = setNames(c(1, -1), lv[1:2]),
                              average = setNames(rep(1 / length(lv), length(lv)), lv)))
  put("contrast.mean", coef(con)); put("contrast.mean.se", SE(con))
  btc <- svyby(~y, ~g, known, svytotal, covmat = TRUE)
  con <- svycontrast(btc, setNames(c(1, -1), lv[c(length(lv), 1)]))
  put("contrast.total", coef(con)); put("contrast.total.se", SE(con))

  # Every lonely-PSU rule (survey.adjust.domain.lonely left at its default, FALSE).
  for (rule in c("adjust", "average", "certainty", "remove")) {
    options(survey.lonely.psu = rule)
    key <- paste0("lonely.", rule, ".")
    put(paste0(key, "mean.se"), SE(svymean(~y, des, na.rm = TRUE)))
    put(paste0(key, "total.se"), SE(svytotal(~y, des, na.rm = TRUE)))
    put(paste0(key, "prop.se"), SE(svymean(~x, des, na.rm = TRUE)))
    lm <- SE(svyby(~y, ~g, des, svymean, na.rm = TRUE))
    lt <- SE(svyby(~y, ~g, des, svytotal, na.rm = TRUE))
    for (i in seq_along(levels(d$g))) {
      put(paste0(key, "dmean.se.", levels(d$g)[i]), lm[i])
      put(paste0(key, "dtotal.se.", levels(d$g)[i]), lt[i])
    }
  }
  options(survey.lonely.psu = "adjust")

  # The ultimate-cluster variance (first stage only) of a multistage design.
  options(survey.ultimate.cluster = TRUE)
  put("ultimate.mean.se", SE(svymean(~y, des, na.rm = TRUE)))
  um <- SE(svyby(~y, ~g, des, svymean, na.rm = TRUE))
  for (i in seq_along(levels(d$g))) put(paste0("ultimate.dmean.se.", levels(d$g)[i]), um[i])
  options(survey.ultimate.cluster = FALSE)

  # Shares of a factor with an empty level, their covariance, and per domain.
  p <- svymean(~x, des, na.rm = TRUE)
  for (i in seq_along(x_levels)) {
    put(paste0("prop.", x_levels[i]), coef(p)[i]); put(paste0("prop.se.", x_levels[i]), SE(p)[i])
    for (j in seq_along(x_levels)) {
      put(paste0("prop.cov.", x_levels[i], ".", x_levels[j]), vcov(p)[i, j])
    }
  }
  for (level in levels(d$g)) {
    sub <- subset(des, g == level)
    put(paste0("ddegf.", level), degf(sub))
    dp <- svymean(~x, sub, na.rm = TRUE)
    for (i in seq_along(x_levels)) {
      put(paste0("dprop.", level, ".", x_levels[i]), coef(dp)[i])
      put(paste0("dprop.se.", level, ".", x_levels[i]), SE(dp)[i])
    }
  }

  # Proportion intervals (svyciprop), whole sample and per domain, for the observed levels.
  observed <- x_levels[x_levels %in% d$x]
  answered <- sum(!is.na(d$x))
  for (level in observed) {
    d$hit <- as.numeric(d$x == level)
    des <- update(des, hit = as.numeric(x == level))
    put(paste0("ciprop.logit.", level), logit_interval(des))
    put(paste0("svyciprop.logit.", level),
        ci_of(svyciprop(~hit, des, method = "logit", na.rm = TRUE)))
    put(paste0("ciprop.beta.", level), ci_of(svyciprop(~hit, des, method = "beta", na.rm = TRUE)))
    for (group in levels(d$g)) {
      sub <- subset(des, g == group)
      put(paste0("dciprop.logit.", group, ".", level), logit_interval(sub))
      put(paste0("dsvyciprop.logit.", group, ".", level),
          ci_of(svyciprop(~hit, sub, method = "logit", na.rm = TRUE)))
      put(paste0("dciprop.beta.", group, ".", level),
          ci_of(svyciprop(~hit, sub, method = "beta", na.rm = TRUE)))
      put(paste0("dnrow.", group), nrow(sub))
    }
    hits <- sum(d$x == level, na.rm = TRUE)
    put(paste0("wilson.", level), prop.test(hits, answered, correct = FALSE)$conf.int)
  }
  put("nrow", nrow(des))

  # Quantiles (svyquantile's defaults), whole sample and per domain.
  q <- svyquantile(~y, des, c(0.25, 0.5, 0.75), na.rm = TRUE, ci = TRUE)$y
  for (i in 1:3) put(paste0("quantile.", i), q[i, ])
  for (level in levels(d$g)) {
    dq <- svyquantile(~y, subset(des, g == level), c(0.5), na.rm = TRUE, ci = TRUE)$y
    put(paste0("dquantile.", level), dq[1, ])
  }

  # Weighted table and Rao-Scott tests of x by z (observed levels only).
  des <- update(des, xx = as.character(x))
  tab <- svytable(~xx + z, des)
  for (r in rownames(tab)) for (k in colnames(tab)) put(paste0("table.", r, ".", k), tab[r, k])
  # svychisq stops ("system is computationally singular") when an empty cell makes its
  # Delta matrix singular; chisq.failed marks those tables.
  f <- tryCatch(svychisq(~xx + z, des, statistic = "F"), error = function(e) NULL)
  if (nrow(tab) >= 2 && ncol(tab) >= 2 && is.null(f)) put("chisq.failed", 1)
  if (nrow(tab) >= 2 && ncol(tab) >= 2 && !is.null(f)) {
    chi <- svychisq(~xx + z, des, statistic = "Chisq")
    put("chisq.f", f$statistic); put("chisq.ndf", f$parameter[1])
    put("chisq.ddf", f$parameter[2]); put("chisq.f.p", f$p.value)
    put("chisq.p", chi$p.value); put("chisq.df", chi$parameter)
    complete <- sum(!is.na(d$x) & !is.na(d$z))
    put("chisq.pearson", chisq.test(svytable(~xx + z, des, Ntotal = complete),
                                    correct = FALSE)$statistic)
  }

  # Two-group t tests for every pair of domains (svyttest on the pair), and the corrections.
  pairs <- combn(levels(d$g), 2)
  pvalues <- c()
  for (k in seq_len(ncol(pairs))) {
    sub <- subset(des, g %in% pairs[, k])
    sub <- update(sub, gg = factor(as.character(g), levels = pairs[, k]))
    tt <- svyttest(y ~ gg, sub)
    key <- paste(pairs[, k], collapse = ".")
    put(paste0("ttest.t.", key), tt$statistic); put(paste0("ttest.df.", key), tt$parameter)
    put(paste0("ttest.p.", key), tt$p.value)
    pvalues <- c(pvalues, tt$p.value)
  }
  put("holm", p.adjust(pvalues, "holm")); put("bh", p.adjust(pvalues, "BH"))

  # A gap between two ratings (svycontrast of the joint means), as importance minus satisfaction.
  both <- svymean(~y + y2, des, na.rm = TRUE)
  gap <- svycontrast(both, c(1, -1))
  put("gap", coef(gap)); put("gap.se", SE(gap))

  # Co-occurrence of two needs among those who answered both.
  both_known <- subset(des, !is.na(x) & !is.na(z))
  put("cooccurrence", coef(svymean(~I(as.numeric(x == "a") * as.numeric(z == "p")),
                                   both_known)))

  # Post-stratification.
  cells <- unique(d[, c("ps", "ps_target")])
  pdes <- postStratify(des, ~ps, data.frame(ps = cells$ps, Freq = cells$ps_target))
  put("post.weights", weights(pdes))
  pm <- svymean(~y, pdes, na.rm = TRUE); put("post.mean", coef(pm)); put("post.mean.se", SE(pm))
  put("post.deff.mean", deff(svymean(~y, pdes, na.rm = TRUE, deff = TRUE)))
  put("post.deff.total", deff(svytotal(~y, pdes, na.rm = TRUE, deff = TRUE)))
  pt <- svytotal(~y, pdes, na.rm = TRUE); put("post.total", coef(pt)); put("post.total.se", SE(pt))
  pp <- svymean(~x, pdes, na.rm = TRUE); put("post.prop", coef(pp)); put("post.prop.se", SE(pp))
  pb <- svyby(~y, ~g, pdes, svymean, na.rm = TRUE)
  put("post.dmean", coef(pb)); put("post.dmean.se", SE(pb))

  # Raking to two margins, with the calibration variance of calfun = "raking".
  m1 <- unique(d[, c("r1", "r1_target")]); m1 <- m1[order(m1$r1), ]
  m2 <- unique(d[, c("r2", "r2_target")]); m2 <- m2[order(m2$r2), ]
  population <- c(sum(m1$r1_target), m1$r1_target[-1], m2$r2_target[-1])
  rdes <- calibrate(des, ~r1 + r2, population = population, calfun = "raking",
                    epsilon = 1e-13, maxit = 500)
  put("rake.weights", weights(rdes))
  rm <- svymean(~y, rdes, na.rm = TRUE); put("rake.mean", coef(rm)); put("rake.mean.se", SE(rm))
  put("rake.deff.mean", deff(svymean(~y, rdes, na.rm = TRUE, deff = TRUE)))
  put("rake.deff.total", deff(svytotal(~y, rdes, na.rm = TRUE, deff = TRUE)))
  rt <- svytotal(~y, rdes, na.rm = TRUE); put("rake.total", coef(rt)); put("rake.total.se", SE(rt))
  rp <- svymean(~x, rdes, na.rm = TRUE); put("rake.prop", coef(rp)); put("rake.prop.se", SE(rp))
  rb <- svyby(~y, ~g, rdes, svymean, na.rm = TRUE)
  put("rake.dmean", coef(rb)); put("rake.dmean.se", SE(rb))

  # Trimming (bounds as multiples of the mean weight), once and until the bounds hold.
  centre <- mean(d$w)
  lower <- spec$trim_lower * centre
  upper <- spec$trim_upper * centre
  put("trim.weights", weights(trimWeights(des, upper = upper, lower = lower)))
  # strict = TRUE recurses until no weight is outside; where spreading keeps pushing weights
  # back over a bound the recursion does not end, and there is no figure.
  strict <- tryCatch(weights(trimWeights(des, upper = upper, lower = lower, strict = TRUE)),
                     error = function(e) NaN)
  put("trim.strict.weights", if (length(strict) == 1) rep(NaN, nrow(d)) else strict)

  # Lonely PSUs under "fail": R refuses the design when asked for a variance.
  options(survey.lonely.psu = "fail")
  put("fail", tryCatch({ svymean(~w, des); 0 }, error = function(e) 1))
  options(survey.lonely.psu = "adjust")

  write_values(id, v)
}
close(output)
