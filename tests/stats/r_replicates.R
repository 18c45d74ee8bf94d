# R `survey`'s figures on replicate-weight designs, one Rscript run for a batch of designs.
#
# Usage: Rscript r_replicates.R designs.csv specs.csv results.csv weights-dir
# designs.csv: one row per respondent (id, stratum, psu, w, fpc, y, y2, x, z, g, ...).
# specs.csv: one row per design (id, kind, strata, cluster, fpc, mse, rho, replicates,
#   x_levels). kind is as.svrepdesign's type; R's replicate weights (weights(design,
#   "analysis")), scale and rscales are written to weights-dir/<id>.csv, -scale.csv.
# results.csv: id,key,value lines, every number with 17 significant digits.

suppressPackageStartupMessages(library(survey))
Sys.setlocale("LC_COLLATE", "C")
options(survey.lonely.psu = "adjust", warn = -1)
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], stringsAsFactors = FALSE, na.strings = "")
specs <- read.csv(args[2], stringsAsFactors = FALSE)
output <- file(args[3], "w")
folder <- args[4]
set.seed(20261206)

for (row in seq_len(nrow(specs))) {
  spec <- specs[row, ]
  id <- spec$id
  d <- data[data$id == id, ]
  x_levels <- strsplit(spec$x_levels, "|", fixed = TRUE)[[1]]
  d$x <- factor(d$x, levels = x_levels)
  d$g <- factor(d$g)
  v <- c()
  put <- function(key, value) {
    value <- as.numeric(value)
    names(value) <- if (length(value) == 1) key else paste(key, seq_along(value), sep = ".")
    v <<- c(v, value)
  }
  des <- svydesign(ids = if (spec$cluster) ~psu else ~1,
                   strata = if (spec$strata) ~stratum else NULL,
                   fpc = if (spec$fpc) ~fpc else NULL, weights = ~w, data = d)
  rd <- if (spec$kind == "bootstrap") {
    as.svrepdesign(des, type = "bootstrap", replicates = spec$replicates, mse = spec$mse)
  } else if (spec$kind == "Fay") {
    as.svrepdesign(des, type = "Fay", fay.rho = spec$rho, mse = spec$mse)
  } else {
    as.svrepdesign(des, type = spec$kind, mse = spec$mse)
  }
  analysis <- as.matrix(weights(rd, "analysis"))
  write.csv(format(analysis, digits = 17), file.path(folder, paste0(id, ".csv")),
            row.names = FALSE, quote = FALSE)
  write.csv(data.frame(scale = rd$scale, rscales = format(rd$rscales, digits = 17)),
            file.path(folder, paste0(id, "-scale.csv")), row.names = FALSE, quote = FALSE)
  put("degf", degf(rd))

  m <- svymean(~y, rd, na.rm = TRUE, deff = TRUE)
  put("mean", coef(m)); put("mean.se", SE(m)); put("mean.ci", confint(m, df = degf(rd)))
  put("deff.mean", deff(m))
  t <- svytotal(~y, rd, na.rm = TRUE, deff = TRUE)
  put("total", coef(t)); put("total.se", SE(t)); put("deff.total", deff(t))
  bm <- svyby(~y, ~g, rd, svymean, na.rm = TRUE, deff = TRUE)
  bt <- svyby(~y, ~g, rd, svytotal, na.rm = TRUE, deff = TRUE)
  for (i in seq_along(levels(d$g))) {
    level <- levels(d$g)[i]
    put(paste0("dmean.", level), coef(bm)[i]); put(paste0("dmean.se.", level), SE(bm)[i])
    put(paste0("dtotal.", level), coef(bt)[i]); put(paste0("dtotal.se.", level), SE(bt)[i])
    put(paste0("deff.dmean.", level), bm$DEff.y[i])
    put(paste0("deff.dtotal.", level), bt$DEff.y[i])
  }

  p <- svymean(~x, rd, na.rm = TRUE, deff = TRUE)
  for (i in seq_along(x_levels)) {
    put(paste0("prop.", x_levels[i]), coef(p)[i]); put(paste0("prop.se.", x_levels[i]), SE(p)[i])
    put(paste0("deff.prop.", x_levels[i]), deff(p)[i])
    for (j in seq_along(x_levels)) {
      put(paste0("prop.cov.", x_levels[i], ".", x_levels[j]), vcov(p)[i, j])
    }
  }
  for (level in levels(d$g)) {
    sub <- subset(rd, g == level)
    put(paste0("ddegf.", level), degf(sub))
    dp <- svymean(~x, sub, na.rm = TRUE)
    for (i in seq_along(x_levels)) {
      put(paste0("dprop.", level, ".", x_levels[i]), coef(dp)[i])
      put(paste0("dprop.se.", level, ".", x_levels[i]), SE(dp)[i])
    }
  }

  # svyratio on a replicate design stops when asked for deff; the design effect it means to
  # give is deff(svytotal(y - ratio * y2)) on the rows with both, computed here.
  rr <- svyratio(~y, ~y2, rd, na.rm = TRUE)
  put("ratio", coef(rr)); put("ratio.se", SE(rr))
  both <- subset(rd, !is.na(y) & !is.na(y2))
  both <- update(both, lin = y - coef(rr) * y2)
  put("ratio.deff", deff(svytotal(~lin, both, deff = TRUE)))
  for (level in levels(d$g)) {
    sub <- subset(rd, g == level & !is.na(y) & !is.na(y2))
    dr <- svyratio(~y, ~y2, sub)
    put(paste0("ratio.domain.", level), coef(dr)); put(paste0("ratio.domain.se.", level), SE(dr))
    sub <- update(sub, lin = y - coef(dr) * y2)
    put(paste0("ratio.domain.deff.", level), deff(svytotal(~lin, sub, deff = TRUE)))
  }

  lv <- levels(d$g)
  known <- subset(rd, !is.na(y))
  bc <- svyby(~y, ~g, known, svymean, covmat = TRUE)
  con <- svycontrast(bc, list(difference = setNames(c(1, -1), lv[1:2]),
                              average = setNames(rep(1 / length(lv), length(lv)), lv)))
  put("contrast.mean", coef(con)); put("contrast.mean.se", SE(con))
  btc <- svyby(~y, ~g, known, svytotal, covmat = TRUE)
  con <- svycontrast(btc, setNames(c(1, -1), lv[c(length(lv), 1)]))
  put("contrast.total", coef(con)); put("contrast.total.se", SE(con))

  q <- svyquantile(~y, rd, c(0.25, 0.5, 0.75), na.rm = TRUE, ci = TRUE)$y
  for (i in 1:3) put(paste0("quantile.", i), q[i, ])
  for (level in levels(d$g)) {
    dq <- svyquantile(~y, subset(rd, g == level), c(0.5), na.rm = TRUE, ci = TRUE)$y
    put(paste0("dquantile.", level), dq[1, ])
  }

  rd <- update(rd, xx = as.character(x))
  # svytable on a replicate design scales the table to the sum of all weights by default;
  # Ntotal = NULL gives the weighted counts themselves, as svytable on other designs does.
  tab <- svytable(~xx + z, rd, Ntotal = NULL)
  for (r in rownames(tab)) for (k in colnames(tab)) put(paste0("table.", r, ".", k), tab[r, k])
  f <- tryCatch(svychisq(~xx + z, rd, statistic = "F"), error = function(e) NULL)
  if (nrow(tab) >= 2 && ncol(tab) >= 2 && is.null(f)) put("chisq.failed", 1)
  if (nrow(tab) >= 2 && ncol(tab) >= 2 && !is.null(f)) {
    chi <- svychisq(~xx + z, rd, statistic = "Chisq")
    put("chisq.f", f$statistic); put("chisq.ndf", f$parameter[1])
    put("chisq.ddf", f$parameter[2]); put("chisq.f.p", f$p.value)
    put("chisq.p", chi$p.value); put("chisq.df", chi$parameter)
  }

  # svyglm on the replicate design: each replicate refitted from the full-sample fit, glm
  # iterated to convergence so that its stopping rule does not limit agreement.
  # (A column named g hides svyglm's own g: it is dropped for the models, as for svyttest.)
  rg <- update(rd, xa = as.numeric(x == "a"))
  rg$variables$g <- NULL
  fit <- svyglm(y ~ y2, rg)
  put("glm.lin", coef(fit)); put("glm.lin.se", SE(fit)); put("glm.lin.df", fit$df.residual)
  logit <- tryCatch(svyglm(xa ~ y2, rg, family = quasibinomial,
                           control = glm.control(epsilon = 1e-15, maxit = 100)),
                    error = function(e) NULL)  # a replicate's glm can break down in R
  if (is.null(logit)) put("glm.logit.failed", 1) else {
    put("glm.logit", coef(logit)); put("glm.logit.se", SE(logit))
  }

  pairs <- combn(levels(d$g), 2)
  for (k in seq_len(ncol(pairs))) {
    sub <- subset(rd, g %in% pairs[, k])
    sub <- update(sub, gg = factor(as.character(g), levels = pairs[, k]))
    # svyglm.svyrep.design evaluates its own call, named g, among the variables: a column g
    # hides it ("$ operator is invalid for atomic vectors"), so the column is dropped here.
    sub$variables$g <- NULL
    key <- paste(pairs[, k], collapse = ".")
    # R's replicate glm breaks down ("NAs in V(mu)") where a replicate leaves a group weightless
    tt <- tryCatch(svyttest(y ~ gg, sub), error = function(e) NULL)
    if (is.null(tt)) { put(paste0("failed.ttest.", key), 1); next }
    put(paste0("ttest.t.", key), tt$statistic); put(paste0("ttest.df.", key), tt$parameter)
    put(paste0("ttest.p.", key), tt$p.value)
  }
  if (length(v)) writeLines(sprintf("%d,%s,%.17g", id, names(v), as.numeric(v)), output)
}
close(output)
